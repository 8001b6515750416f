import { shownRun, type SortColumn, type Store } from './app-state.ts';
import { el, fill } from './element.ts';
import { formatChange, formatCount, formatShare, formatValue } from './format.ts';
import { lang, onLangChange, pick, t, type MessageKey } from './i18n.ts';
import { circleRows, indicatorRows, sortRows, type TownshipRow } from './township-rows.ts';

interface Column {
  id: SortColumn;
  label: MessageKey;
  cell: (r: TownshipRow) => string;
  numeric: boolean;
}

const CIRCLE_COLUMNS: Column[] = [
  { id: 'name', label: 'township', cell: (r) => r.name, numeric: false },
  { id: 'total', label: 'residents', cell: (r) => formatCount(r.total), numeric: true },
  { id: 'share', label: 'coveredShare', cell: (r) => formatShare(r.share), numeric: true },
  { id: 'uncovered', label: 'uncovered', cell: (r) => formatCount(r.uncovered), numeric: true },
  { id: 'gaps', label: 'gapsColumn', cell: (r) => formatCount(r.gaps), numeric: true },
  { id: 'verdict', label: 'verdict', cell: (r) => t(r.verdict), numeric: false },
];
const BEFORE_COLUMN: Column = { id: 'before', label: 'beforeShare', cell: (r) => formatShare(r.before), numeric: true };
// a zero change stays blank, so the townships the edit reached stand out
const CHANGE_COLUMN: Column = { id: 'change', label: 'change', cell: (r) => (r.change === null || Math.abs(r.change) < 0.5 ? '' : formatChange(r.change)), numeric: true };
const INDICATOR_COLUMNS: Column[] = [
  { id: 'name', label: 'township', cell: (r) => r.name, numeric: false },
  { id: 'value', label: 'value', cell: (r) => formatValue(r.value), numeric: true },
  { id: 'shortfall', label: 'shortfall', cell: (r) => formatValue(r.shortfall), numeric: true },
  { id: 'verdict', label: 'verdict', cell: (r) => t(r.verdict), numeric: false },
];

/**
 * The per-township table: sortable by any column (buttons in the headers, `aria-sort` set), each row a
 * focusable control that selects the township on click, Enter or Space.
 *
 * @example mountTownshipTable(section, store, (code) => zoomTo(code));
 */
export function mountTownshipTable(host: HTMLElement, store: Store, onSelect: (code: string) => void): void {
  const table = el('table', { className: 'township-table', 'data-testid': 'township-table' });
  const hint = el('p', { className: 'hint' });
  host.append(hint, el('div', { className: 'table-scroll' }, table));

  function rows(): { columns: Column[]; rows: TownshipRow[] } {
    const s = store.get();
    if (s.selection.kind === 'indicator') {
      const result = s.indicators?.find((i) => i.id === s.selection.id);
      return { columns: INDICATOR_COLUMNS, rows: result ? indicatorRows(result) : [] };
    }
    if (!s.analysis) return { columns: CIRCLE_COLUMNS, rows: [] };
    // the count column is of the group the circle judges: residents aged 60+ for the elderly-care circle
    const group = s.analysis.summary.group;
    const base = CIRCLE_COLUMNS.map((c) => (c.id === 'total' ? { ...c, label: (group === 'aged60' ? 'aged60' : group === 'rural' ? 'groupRural' : 'residents') as MessageKey } : c));
    // a scenario: before, after and change side by side, as the exported CSV has them
    const columns = s.whatIf
      ? [base[0], base[1], BEFORE_COLUMN, { ...base[2], label: 'afterShare' as MessageKey }, CHANGE_COLUMN, ...base.slice(3)]
      : base;
    return { columns, rows: circleRows(shownRun(s)) };
  }

  function render(): void {
    const s = store.get();
    hint.textContent = t('tableHint');
    const { columns, rows: data } = rows();
    const sorted = sortRows(data, s.sort.column, s.sort.dir, lang() === 'zh' ? 'zh-CN' : 'en');
    const head = el('tr', {}, ...columns.map((c) => {
      const active = s.sort.column === c.id;
      const label = t(c.label);
      return el('th', { scope: 'col', 'aria-sort': active ? (s.sort.dir === 1 ? 'ascending' : 'descending') : 'none', className: c.numeric ? 'num' : '' },
        el('button', {
          type: 'button', className: 'sort', title: t('sortBy', { col: label }),
          onclick: () => store.set({ sort: { column: c.id, dir: active ? (s.sort.dir === 1 ? -1 : 1) : 1 } }),
        }, label, el('span', { className: 'sort-mark', 'aria-hidden': 'true' }, active ? (s.sort.dir === 1 ? '▲' : '▼') : '')));
    }));
    const body = sorted.map((r) => {
      const select = () => onSelect(r.code);
      const tr = el('tr', {
        tabindex: 0, 'data-code': r.code, 'aria-selected': String(s.township === r.code), className: `verdict-${r.verdict}`,
        title: r.text ? pick(r.text) : null,
        onclick: select,
        onkeydown: ((e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(); }
          // arrow keys walk the rows like a list
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const next = (e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling) as HTMLElement | null;
            next?.focus();
          }
        }) as EventListener,
      }, ...columns.map((c) => {
        const td = el('td', { className: c.numeric ? 'num' : '' }, c.cell(r));
        if (c.id === 'verdict') td.append(el('span', { className: `badge ${r.verdict}`, 'aria-hidden': 'true' }));
        if (c.id === 'change' && r.change !== null) td.className += r.change > 0.5 ? ' up' : r.change < -0.5 ? ' down' : '';
        return td;
      }));
      return tr;
    });
    fill(table, el('caption', { className: 'sr-only' }, t('townships')), el('thead', {}, head), el('tbody', {}, ...body));
  }

  store.subscribe((_s, changed) => {
    if (['analysis', 'whatIf', 'indicators', 'selection', 'sort', 'township'].some((k) => changed.has(k as never))) render();
  });
  onLangChange(render);
  render();
}

/** Puts a township's row into view (after a click on the map). */
export function revealRow(host: HTMLElement, code: string): void {
  const row = host.querySelector<HTMLElement>(`tr[data-code="${CSS.escape(code)}"]`);
  row?.scrollIntoView({ block: 'nearest' });
}
