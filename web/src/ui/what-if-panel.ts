import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ScenarioEdit } from '../source/api-types.ts';
import type { RegionData } from '../source/region-data.ts';
import type { Store } from './app-state.ts';
import type { Controller } from './controller.ts';
import { el, fill } from './element.ts';
import { formatCount, formatShare } from './format.ts';
import { onLangChange, t } from './i18n.ts';
import { categoryName } from './map-popups.ts';
import { addFacility, dropEdit } from './scenario-edits.ts';
import { siteCurveChart } from './site-curve-chart.ts';
import type { SiteCandidates } from '../source/api-types.ts';

function describe(e: ScenarioEdit, data: RegionData): string {
  const existing = data.facilities.features.find((f) => String(f.properties.id) === String(e.id));
  const name = e.op === 'add' ? (e.name || categoryName(e.category ?? '')) : existing?.properties.name ?? String(e.id);
  return t(e.op === 'add' ? 'editAdd' : e.op === 'move' ? 'editMove' : 'editRemove', { name });
}

/**
 * The what-if section: planned-facility category, add on the map (or at its centre, for the keyboard), the
 * list of changes with undo, k suggested sites with their gain, and saving and opening scenarios.
 *
 * @example const category = mountWhatIfPanel(section, store, controller, map, data);
 */
export function mountWhatIfPanel(host: HTMLElement, store: Store, controller: Controller, map: MapLibreMap, data: RegionData): () => string {
  const category = el('select', { id: 'planned-category', 'data-testid': 'planned-category' });
  const categoryLabel = el('label', { for: 'planned-category' });
  const addButton = el('button', { type: 'button', 'aria-pressed': 'false', 'data-testid': 'add-facility' });
  const centreButton = el('button', { type: 'button', 'data-testid': 'add-at-centre' });
  const hint = el('p', { className: 'hint', role: 'status' });
  const editsTitle = el('h3');
  const list = el('ol', { className: 'edits', 'data-testid': 'edits' });
  const empty = el('p', { className: 'muted small' });
  const clear = el('button', { type: 'button', className: 'link', 'data-testid': 'clear-edits' });
  const suggestTitle = el('h3');
  const k = el('input', { type: 'number', min: 1, max: 20, value: 3, id: 'suggest-k', className: 'narrow' });
  const kLabel = el('label', { for: 'suggest-k' });
  const suggestButton = el('button', { type: 'button', 'data-testid': 'suggest' });
  const suggestions = el('ol', { className: 'suggestions', 'data-testid': 'suggestions' });
  const fromLabel = el('label', { for: 'suggest-from' });
  const from = el('select', { id: 'suggest-from', 'data-testid': 'suggest-from' }, el('option', { value: 'uncovered' }), el('option', { value: 'buildable' }));
  const fromHint = el('p', { className: 'muted small', 'data-testid': 'suggest-from-hint' });
  const curve = el('figure', { className: 'site-curve', 'data-testid': 'sites-curve-figure', hidden: true });
  const goalLabel = el('label', { for: 'suggest-goal' });
  const GOALS = ['coverage', 'budget', 'target', 'capacity'] as const;
  const goal = el('select', { id: 'suggest-goal', 'data-testid': 'suggest-goal' }, ...GOALS.map((g) => el('option', { value: g })));
  const budgetLabel = el('label', { for: 'suggest-budget' });
  const budget = el('input', { type: 'number', min: 1, max: 1e6, value: 500, id: 'suggest-budget', className: 'narrow', 'data-testid': 'suggest-budget' });
  const budgetRow = el('div', { className: 'row', hidden: true }, budgetLabel, budget);
  const townLabel = el('label', { for: 'suggest-township' });
  const town = el('select', { id: 'suggest-township', 'data-testid': 'suggest-township' },
    el('option', { value: '' }), ...data.townships.features.map((f) => el('option', { value: f.properties.code || f.properties.name }, f.properties.name)));
  const townRow = el('div', { className: 'row', hidden: true }, townLabel, town);
  const kRow = el('div', { className: 'row' });
  const targetsTable = el('table', { className: 'capacity-totals small', 'data-testid': 'target-townships', hidden: true });
  const budgetLine = el('p', { className: 'muted small', 'data-testid': 'budget-line', hidden: true });
  const placesLabel = el('label', { for: 'suggest-places' });
  const places = el('input', { type: 'number', min: 1, max: 100000, value: 60, id: 'suggest-places', className: 'narrow', 'data-testid': 'suggest-places' });
  const placesRow = el('div', { className: 'row', hidden: true }, placesLabel, places);
  const capacityTotals = el('table', { className: 'capacity-totals small', 'data-testid': 'capacity-totals', hidden: true });
  const scenarioTitle = el('h3');
  const sitesFile = el('button', { type: 'button', className: 'button', 'data-testid': 'sites-xlsx', hidden: true });
  sitesFile.addEventListener('click', async () => {
    const blob = await controller.suggestionFile();
    if (!blob) return;
    const a = el('a', { href: URL.createObjectURL(blob), download: `${data.region.name}-建议选址-sites.xlsx` });
    document.body.append(a);
    a.click();
    a.remove();
  });
  const name = el('input', { type: 'text', id: 'scenario-name', maxlength: 200 });
  const nameLabel = el('label', { for: 'scenario-name' });
  const save = el('button', { type: 'button', 'data-testid': 'save-scenario' });
  const open = el('select', { id: 'scenario-open', 'data-testid': 'scenario-open' });
  const openLabel = el('label', { for: 'scenario-open' });
  host.append(
    categoryLabel, el('div', { className: 'row' }, category), el('div', { className: 'row' }, addButton, centreButton), hint,
    editsTitle, empty, list, el('div', { className: 'row' }, clear),
    suggestTitle, el('div', { className: 'row' }, goalLabel, goal), el('div', { className: 'row' }, fromLabel, from), fromHint, placesRow, budgetRow, townRow,
    kRow, suggestions, budgetLine, targetsTable, capacityTotals, curve, el('div', { className: 'row' }, sitesFile),
    scenarioTitle, nameLabel, el('div', { className: 'row' }, name, save), openLabel, open,
  );

  addButton.addEventListener('click', () => store.set({ adding: !store.get().adding }));
  centreButton.addEventListener('click', () => {
    const c = map.getCenter();
    controller.setEdits(addFacility(store.get().edits, {
      id: controller.nextFacilityId(), lon: c.lng, lat: c.lat, category: category.value, name: t('plannedName', { cat: categoryName(category.value) }),
    }));
  });
  clear.addEventListener('click', () => controller.setEdits([]));
  suggestButton.addEventListener('click', () => {
    const n = Math.max(1, Math.min(20, Math.round(Number(k.value) || 3)));
    if (goal.value === 'capacity') return void controller.suggestCapacity(n, Math.max(1, Math.round(Number(places.value) || 60)));
    if (goal.value === 'target') return void controller.suggestTarget(town.value || null);
    // with a budget, k only caps the count (the service's rule)
    if (goal.value === 'budget') return void controller.suggest(200, from.value as SiteCandidates, Math.max(1, Number(budget.value) || 500));
    void controller.suggest(n, from.value as SiteCandidates);
  });
  goal.addEventListener('change', () => renderGoal());
  from.addEventListener('change', () => renderFrom());
  save.addEventListener('click', () => {
    const n = name.value.trim();
    if (n === '') return void name.focus();
    void controller.saveScenario(n);
  });
  open.addEventListener('change', () => void controller.openScenario(open.value === '' ? null : Number(open.value)));

  function renderCategories(): void {
    const cats = controller.plannedCategories();
    const keep = category.value;
    fill(category, ...cats.map((c) => el('option', { value: c }, categoryName(c))));
    if (cats.includes(keep)) category.value = keep;
    const none = cats.length === 0;
    addButton.disabled = centreButton.disabled = suggestButton.disabled = none;
  }

  function renderEdits(): void {
    const s = store.get();
    fill(list, ...s.edits.map((e, i) => el('li', {}, describe(e, data), ' ',
      el('button', { type: 'button', className: 'link', onclick: () => controller.setEdits(dropEdit(store.get().edits, i)) }, t('undoEdit')))));
    empty.textContent = s.edits.length === 0 ? t('noEdits') : '';
    empty.hidden = s.edits.length > 0;
    list.hidden = clear.hidden = s.edits.length === 0;
    const ignored = new Set(s.whatIf?.ignoredEdits ?? []);
    Array.from(list.children).forEach((li, i) => ignored.has(i) && li.classList.add('ignored'));
  }

  function renderSuggestions(): void {
    const s = store.get();
    // the workbook is the coverage goal's file; the other goals show their own tables instead
    sitesFile.hidden = s.suggestions.length === 0 || s.capacity !== null || s.targets !== null || s.budget !== null;
    sitesFile.textContent = t('sitesExcel');
    fill(suggestions, ...s.suggestions.map((site) => el('li', {},
      `#${site.rank} ${site.township?.name ?? ''}${site.parcel ? ` · ${t('onParcel', { name: site.parcel })}` : ''} · ${t(s.capacity ? 'capacityServes' : 'gain')} ${formatCount(site.gain.population)}`,
      site.gain.aged60 !== null ? ` (${t('aged60')} ${formatCount(site.gain.aged60)})` : '', ' ',
      el('button', {
        type: 'button', className: 'link',
        onclick: () => controller.setEdits(addFacility(store.get().edits, {
          id: controller.nextFacilityId(), lon: site.lon, lat: site.lat, category: category.value, name: `${t('legendSuggested')} #${site.rank}`,
        })),
      }, t('adopt')))));
  }

  // capacity: places per site instead of where candidates come from (capacity draws from uncovered cells)
  function renderGoal(): void {
    const g = goal.value;
    placesRow.hidden = g !== 'capacity';
    budgetRow.hidden = g !== 'budget';
    townRow.hidden = g !== 'target';
    // k is the count for coverage and capacity; a budget or a target decides it otherwise
    fill(kRow, ...(g === 'coverage' || g === 'capacity' ? [kLabel, k] : []), suggestButton);
    suggestButton.textContent = g === 'coverage' || g === 'capacity' ? t('suggestRun', { k: k.value }) : t(g === 'budget' ? 'suggestBudgetRun' : 'suggestTargetRun');
    const fixed = g === 'capacity' || g === 'target';
    from.disabled = fixed;
    if (fixed) from.value = 'uncovered';
    else renderFrom();
  }

  function renderTargets(): void {
    const s = store.get();
    const rows = s.targets;
    targetsTable.hidden = !rows;
    if (!rows) fill(targetsTable);
    else {
      fill(targetsTable,
        el('thead', {}, el('tr', {}, el('th', {}, t('township')), el('th', {}, t('capacityToday')), el('th', {}, t('targetAfter')), el('th', {}, t('targetSites')))),
        el('tbody', {}, ...rows.map((r) => el('tr', { className: r.reached ? 'pass' : 'fail', title: r.reason ?? '' },
          el('th', {}, r.name), el('td', {}, formatShare(r.shareBefore)), el('td', {}, `${formatShare(r.shareAfter)}${r.reached ? ' ✓' : ' ✗'}`), el('td', {}, String(r.sites))))),
        ...(rows.some((r) => r.reason) ? [el('caption', { className: 'small' }, rows.filter((r) => r.reason).map((r) => `${r.name}: ${r.reason}`).join('；'))] : []));
    }
    budgetLine.hidden = !s.budget;
    budgetLine.textContent = s.budget ? t('budgetSpent', { spent: formatCount(s.budget.spent), budget: formatCount(s.budget.budget) }) + ` · ${s.budget.note}` : '';
  }

  function renderCapacity(): void {
    const c = store.get().capacity;
    capacityTotals.hidden = !c;
    if (!c) return void fill(capacityTotals);
    const row = (label: string, a: number, b: number) => el('tr', {}, el('th', {}, label), el('td', {}, formatCount(a)), el('td', {}, formatCount(b)));
    fill(capacityTotals,
      el('thead', {}, el('tr', {}, el('th', {}, t('capacityGroup', { n: formatCount(c.siteCapacity) })), el('th', {}, t('capacityToday')), el('th', {}, t('capacityWithSites')))),
      el('tbody', {},
        row(t('capacityServed'), c.baseline.served, c.totals.served),
        row(t('capacityShort'), c.baseline.lackOfCapacity, c.totals.lackOfCapacity),
        row(t('capacityOut'), c.baseline.outOfReach, c.totals.outOfReach)));
  }

  function renderCurve(): void {
    const c = store.get().siteCurve;
    curve.hidden = !c || store.get().suggestions.length === 0;
    if (curve.hidden) return void fill(curve);
    fill(curve, el('figcaption', { className: 'small' }, t('curveTitle', { group: t(c!.group === 'aged60' ? 'groupAged60' : 'groupAll') })), siteCurveChart(c!));
  }

  // siting on buildable land needs land: without it the choice stays, disabled, with what to do
  function renderFrom(): void {
    const none = store.get().buildableCount === 0;
    const option = from.options[1];
    option.disabled = none;
    if (none && from.value === 'buildable') from.value = 'uncovered';
    fromHint.textContent = none ? t('noBuildable') : '';
    fromHint.hidden = !none;
  }

  function renderScenarios(): void {
    const s = store.get();
    fill(open, el('option', { value: '' }, t('noScenario')), ...s.scenarios.map((x) => el('option', { value: x.id }, x.name)));
    open.value = s.scenario ? String(s.scenario.id) : '';
    if (s.scenario && name.value === '') name.value = s.scenario.name;
  }

  function render(): void {
    categoryLabel.textContent = t('category');
    addButton.textContent = t('addFacility');
    centreButton.textContent = t('addAtCenter');
    editsTitle.textContent = t('edits');
    clear.textContent = t('clearEdits');
    suggestTitle.textContent = t('suggest');
    fromLabel.textContent = t('suggestFrom');
    goalLabel.textContent = t('suggestGoal');
    GOALS.forEach((g, i) => (goal.options[i].textContent = t(g === 'coverage' ? 'goalCoverage' : g === 'budget' ? 'goalBudget' : g === 'target' ? 'goalTarget' : 'goalCapacity')));
    budgetLabel.textContent = t('budgetWan');
    townLabel.textContent = t('targetTownship');
    town.options[0].textContent = t('targetAllUnder');
    placesLabel.textContent = t('sitePlaces');
    from.options[0].textContent = t('fromUncovered');
    from.options[1].textContent = t('fromBuildable');
    kLabel.textContent = t('suggestK');
    suggestButton.textContent = t('suggestRun', { k: k.value });
    scenarioTitle.textContent = t('scenarios');
    nameLabel.textContent = t('scenarioName');
    save.textContent = t('saveScenario');
    openLabel.textContent = t('openScenario');
    renderCategories();
    renderEdits();
    renderSuggestions();
    renderCurve();
    renderFrom();
    renderGoal();
    renderCapacity();
    renderTargets();
    renderScenarios();
    renderAdding();
  }
  function renderAdding(): void {
    const adding = store.get().adding;
    addButton.setAttribute('aria-pressed', String(adding));
    hint.textContent = adding ? t('addingHint') : '';
  }
  k.addEventListener('input', () => (suggestButton.textContent = t('suggestRun', { k: k.value })));
  store.subscribe((_s, changed) => {
    if (changed.has('selection')) renderCategories();
    if (changed.has('edits') || changed.has('whatIf')) renderEdits();
    if (changed.has('suggestions')) renderSuggestions();
    if (changed.has('suggestions') || changed.has('siteCurve')) renderCurve();
    if (changed.has('buildableCount')) renderGoal();
    if (changed.has('capacity')) renderCapacity();
    if (changed.has('targets') || changed.has('budget')) { renderTargets(); renderSuggestions(); }
    if (changed.has('scenarios') || changed.has('scenario')) renderScenarios();
    if (changed.has('adding')) renderAdding();
  });
  onLangChange(render);
  render();
  return () => category.value;
}
