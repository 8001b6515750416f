import type { ApiClient } from '../source/api-client.ts';
import type { ImportKind, ImportPreview, ImportResult, RowProblem } from '../source/api-types.ts';
import type { Store } from './app-state.ts';
import { el, fill } from './element.ts';
import { formatCount } from './format.ts';
import { onLangChange, t, type MessageKey } from './i18n.ts';

const KINDS: Array<[ImportKind, MessageKey]> = [
  ['facilities', 'kindFacilities'], ['population', 'kindPopulation'], ['population-table', 'kindPopulationTable'], ['roads', 'kindRoads'], ['units', 'kindUnits'], ['buildable', 'kindBuildable'],
];
const STATUSES: Array<[string, MessageKey]> = [['existing', 'statusExisting'], ['planned', 'statusPlanned'], ['candidate', 'statusCandidate']];

// the import fields in the planner's words; the field's own name stands beside it
const FIELD_LABELS: Record<string, MessageKey> = {
  lon: 'fieldLon', lat: 'fieldLat', name: 'fieldName', category: 'fieldCategory', capacity: 'fieldCapacity', id: 'fieldId', status: 'fieldStatus',
  capacity_unit: 'fieldCapacityUnit', population: 'fieldPopulation', population_60plus: 'fieldAged60', urban: 'fieldUrban', highway: 'fieldHighway',
  oneway: 'fieldOneway', code: 'fieldCode', type: 'fieldType', aged60: 'fieldAged60',
};

// a category list as "expected" runs to dozens of names: the table shows its start, the tooltip the rest
const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

function where(e: RowProblem): string {
  if (e.line !== undefined) return t('atLine', { n: e.line });
  if (e.feature !== undefined) return t('atFeature', { n: e.feature });
  return t('wholeFile');
}

/**
 * The import section: a file picked or dropped, its kind, then a preview (a dry run the service answers
 * without writing): the features on the map, a select per field to map unrecognised headers (each change
 * asks again), every bad row in a table, and the import button, enabled only when the preview has no errors.
 * `imported` runs after an import, so the page can refresh the region's layers and the analysis.
 *
 * @example mountImportPanel(section, store, api, regionId, (r, kind) => refresh(kind));
 */
export function mountImportPanel(host: HTMLElement, store: Store, api: ApiClient, regionId: number, imported: (result: ImportResult, kind: ImportKind) => Promise<void>): void {
  const kindLabel = el('label', { for: 'import-kind' });
  const kind = el('select', { id: 'import-kind', 'data-testid': 'import-kind' }, ...KINDS.map(([k]) => el('option', { value: k })));
  const statusLabel = el('label', { for: 'import-status' });
  const status = el('select', { id: 'import-status', 'data-testid': 'import-status' }, ...STATUSES.map(([s]) => el('option', { value: s })));
  const input = el('input', { type: 'file', id: 'import-file', 'data-testid': 'import-file', accept: '.csv,.txt,.xlsx,.geojson,.json,.zip,.gz,.pbf,.tif,.tiff', className: 'sr-only' });
  const dropText = el('span');
  const drop = el('label', { for: 'import-file', className: 'drop-zone', 'data-testid': 'import-drop', tabindex: 0 }, dropText);
  const summary = el('p', { className: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'import-summary' });
  const mappingTitle = el('h3');
  const mapping = el('div', { className: 'import-mapping', 'data-testid': 'import-mapping' });
  const errorsTitle = el('h3');
  const errors = el('div', { className: 'table-scroll import-errors', 'data-testid': 'import-errors' });
  const commit = el('button', { type: 'button', className: 'primary', disabled: true, 'data-testid': 'import-commit' });
  const message = el('p', { className: 'status', role: 'status', 'data-testid': 'import-message' });
  host.append(kindLabel, kind, statusLabel, status, input, drop, summary, mappingTitle, mapping, errorsTitle, errors, el('div', { className: 'row' }, commit), message);

  let file: File | null = null;
  // the planner's own choices only; what the service recognises by itself is not sent back
  let columns: Record<string, string> = {};
  let preview: ImportPreview | null = null;
  let busy = false;
  let seq = 0;

  const options = () => ({ kind: kind.value as ImportKind, columns, ...(kind.value === 'facilities' ? { status: status.value } : {}) });
  const say = (node: HTMLElement, kind: "idle" | "error" | "info", text: string) => {
    node.className = `status ${kind === "idle" ? "" : kind}`;
    node.textContent = text;
  };

  async function ask(): Promise<void> {
    if (!file) return;
    const mine = ++seq;
    busy = true;
    render();
    say(summary, 'info', t('previewing', { file: file.name }));
    try {
      const p = await api.previewImport(regionId, file, options());
      if (mine !== seq) return;
      preview = p;
      store.set({ importPreview: p.features });
      // a census table is read by rows (townships, villages) and written as cells: say both
      const spread = p.spread ? t('previewSpread', { units: formatCount(p.spread.units.length), level: t(p.spread.level === 'village' ? 'levelVillage' : 'levelTownship'), method: t(p.spread.method === 'even' ? 'spreadEven' : 'spreadWeights') }) : '';
      say(summary, p.ok ? 'idle' : 'error', (p.ok ? t('previewOk', { file: p.fileName, n: formatCount(p.total) }) : t('previewBad', { file: p.fileName, n: formatCount(p.total), e: formatCount(p.errorCount) })) + spread);
    } catch (e) {
      if (mine !== seq) return;
      preview = null;
      store.set({ importPreview: null });
      say(summary, 'error', e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === seq) busy = false;
      render();
    }
  }

  // a corrected file usually keeps its headers: the mapping stays, and is dropped if the new file lacks a column
  async function choose(f: File | null): Promise<void> {
    file = f;
    preview = null;
    say(message, 'idle', '');
    const kept = Object.keys(columns).length > 0;
    await ask();
    if (kept && !preview && file === f) {
      columns = {};
      await ask();
    }
  }

  input.addEventListener('change', () => void choose(input.files?.[0] ?? null));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) void choose(f);
  });
  kind.addEventListener('change', () => { columns = {}; void ask(); });
  status.addEventListener('change', () => void ask());
  commit.addEventListener('click', async () => {
    if (!file || !preview?.ok) return;
    const k = kind.value as ImportKind;
    busy = true;
    render();
    say(message, 'info', t('importing', { file: file.name }));
    try {
      const result = await api.importFile(regionId, file, options());
      const n = result.written.facilities ?? result.written.cells ?? result.written.ways ?? result.written.units ?? result.written.parcels ?? result.import.rowCount;
      // the file is in: its preview gives way to the region's own layers
      file = null;
      preview = null;
      input.value = '';
      columns = {};
      store.set({ importPreview: null });
      say(summary, 'idle', '');
      say(message, 'idle', t('importedRows', { n: formatCount(n), what: t(KINDS.find(([x]) => x === k)![1]), file: result.import.fileName }));
      document.body.dataset.imported = String(result.import.id);
      await imported(result, k);
    } catch (e) {
      say(message, 'error', e instanceof Error ? e.message : String(e));
    } finally {
      busy = false;
      render();
    }
  });

  function mappingRows(p: ImportPreview): HTMLElement {
    const rows = p.fields.map((f) => {
      const id = `import-map-${f.field}`;
      const select = el('select', { id, 'data-testid': `import-map-${f.field}`, 'data-field': f.field },
        el('option', { value: '' }, t('noColumn')), ...p.headers.map((h) => el('option', { value: h, selected: f.column === h }, h)));
      select.disabled = busy;
      select.addEventListener('change', () => {
        if (select.value) columns = { ...columns, [f.field]: select.value };
        else {
          const { [f.field]: _dropped, ...rest } = columns;
          columns = rest;
        }
        void ask();
      });
      const missing = f.required && !f.column;
      return el('div', { className: `import-map-row${missing ? ' missing' : ''}` },
        el('label', { for: id }, `${t(FIELD_LABELS[f.field] ?? 'fieldOther')} ${f.field}`, f.required ? el('span', { className: 'required', title: t('required') }, ' *') : null),
        select);
    });
    return el('div', {}, ...rows, el('p', { className: 'hint' }, t('mappingHint')));
  }

  // a narrow panel: where, column, found and expected on one line, the reader's sentence under them
  function errorTable(p: ImportPreview): HTMLElement {
    const head = el('tr', {}, ...(['errWhere', 'errColumn', 'errFound', 'errExpected'] as MessageKey[]).map((k) => el('th', { scope: 'col' }, t(k))));
    const body = p.errors.flatMap((e) => [
      el('tr', { className: 'problem' }, el('td', { className: 'nowrap' }, where(e)), el('td', { className: 'nowrap' }, e.column ?? e.field), el('td', { className: 'found' }, clip(e.found, 30)), el('td', { title: e.expected }, clip(e.expected, 40))),
      el('tr', { className: 'detail' }, el('td', { colspan: 4 }, clip(e.message, 240))),
    ]);
    return el('table', { className: 'township-table errors-table' }, el('thead', {}, head), el('tbody', {}, ...body));
  }

  function render(): void {
    kindLabel.textContent = t('importKind');
    KINDS.forEach(([, key], i) => (kind.options[i].textContent = t(key)));
    statusLabel.textContent = t('importStatus');
    STATUSES.forEach(([, key], i) => (status.options[i].textContent = t(key)));
    statusLabel.hidden = status.hidden = kind.value !== 'facilities';
    dropText.textContent = file ? t('fileChosen', { file: file.name }) : t('dropFile');
    commit.textContent = t('importCommit');
    commit.disabled = busy || !preview?.ok;
    mappingTitle.textContent = t('columnMapping');
    errorsTitle.textContent = preview && preview.errorCount > 0
      ? (preview.errorCount > preview.errors.length ? t('errorsCapped', { n: formatCount(preview.errorCount), shown: preview.errors.length }) : t('errorsAll', { n: formatCount(preview.errorCount) }))
      : t('errorsNone');
    mappingTitle.hidden = mapping.hidden = !preview || preview.fields.length === 0;
    errorsTitle.hidden = !preview;
    errors.hidden = !preview || preview.errors.length === 0;
    if (preview) fill(mapping, mappingRows(preview));
    else fill(mapping);
    if (preview && preview.errors.length > 0) fill(errors, errorTable(preview));
    else fill(errors);
  }
  onLangChange(render);
  render();
}
