import './ui/styles.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { createMap, setMapLanguage } from './render/map-view.ts';
import { setBaseLayers, setBuildable, setFacilities, setPopulation } from './render/overlay-data.ts';
import { addPopulationLayers } from './render/population-layer.ts';
import { createApiClient } from './source/api-client.ts';
import type { ImportKind } from './source/api-types.ts';
import { loadRegionData, withGroups } from './source/region-data.ts';
import { mountAnalysisPicker } from './ui/analysis-picker.ts';
import { mountShell, showDataNotice } from './ui/app-shell.ts';
import { createStore, type AppState, type Store } from './ui/app-state.ts';
import { createController } from './ui/controller.ts';
import { mountCountyTotals } from './ui/county-totals.ts';
import { mountExportPanel } from './ui/export-panel.ts';
import { mountImportPanel } from './ui/import-panel.ts';
import { onLangChange, setLang, t, type Lang, type MessageKey } from './ui/i18n.ts';
import { mountLayerToggles } from './ui/layer-toggles.ts';
import { mountLegend } from './ui/legend.ts';
import { wireMapInteractions } from './ui/map-interactions.ts';
import { syncMap } from './ui/map-sync.ts';
import { currentToken, mountSettingsDialog, savedTiles, takeToken } from './ui/settings-dialog.ts';
import { mountTownshipTable, revealRow } from './ui/township-table.ts';
import { mountWhatIfPanel } from './ui/what-if-panel.ts';

/** What the browser tests (and a curious planner's console) can reach. */
declare global {
  interface Window {
    lifecircle?: { map: MapLibreMap; store: Store; renderedGaps(): number };
  }
}

const DEFAULT_PRESET = 'elderly-care-15min';

function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang') ?? localStorage.getItem('lifecircle.lang');
  return asked === 'en' ? 'en' : 'zh';
}

let mapRef: MapLibreMap | null = null;

async function main(root: HTMLElement): Promise<void> {
  setLang(initialLang());
  onLangChange((l) => localStorage.setItem('lifecircle.lang', l));
  onLangChange((l) => mapRef && setMapLanguage(mapRef, l));
  takeToken();
  root.textContent = t('loading');
  const api = createApiClient({ token: currentToken });
  const params = new URLSearchParams(location.search);
  const regions = await api.regions();
  const region = regions.find((r) => String(r.id) === params.get('region')) ?? regions[0];
  if (!region) throw new Error('the service has no region yet: import one (see the README)');
  // layers the region lacks are said in the panel once it is up
  const missing: string[] = [];
  const data = await loadRegionData(api, region, (m) => missing.push(m));

  const shell = mountShell(root, region.name);
  showDataNotice(root, data.townships.features.some((f) => f.properties.synthetic === true) || region.metadata.synthetic === true);
  const presetId = data.presets.find((p) => p.id === params.get('preset'))?.id ?? data.presets.find((p) => p.id === DEFAULT_PRESET)?.id ?? data.presets[0]?.id;
  const initial: AppState = {
    selection: { kind: 'circle', id: presetId ?? '' },
    analysis: null, gaps: null, overlays: null, indicators: null, edits: [], whatIf: null, scenarioRun: null, suggestions: [],
    scenario: null, scenarios: [], township: null, status: { kind: 'busy', text: t('loading') },
    sort: { column: 'share', dir: 1 },
    toggles: { gaps: true, choropleth: true, facilities: true, catchments: false, isochrones: false, buildable: true },
    population: null, allFacilities: false, adding: false, tiles: savedTiles(),
    importPreview: null, siteCurve: null, sitesAsked: null, capacity: null, targets: null, budget: null, buildableCount: data.buildable.features.length,
  };
  const store = createStore(initial);
  const map = await createMap({ container: shell.map, data, tiles: initial.tiles, lang: initialLang() });
  mapRef = map;
  setFacilities(map, data.facilities);
  setBuildable(map, data.buildable);
  const controller = createController(api, store, data);
  syncMap(map, store, data);

  const select = (code: string) => store.set({ township: code });
  const refused = (what: MessageKey) => (e: unknown) => store.set({ status: { kind: 'error', text: `${t(what)}: ${e instanceof Error ? e.message : String(e)}` } });
  mountAnalysisPicker(shell.sections.analysis, store, data.presets, (sel) => void controller.run(sel));
  mountCountyTotals(shell.sections.county, store, data.presets);
  mountTownshipTable(shell.sections.townships, store, select);
  const plannedCategory = mountWhatIfPanel(shell.sections.whatIf, store, controller, map, data);
  // after an import: the region's layer as it is now, then the circle or indicator shown, again on the new data
  const afterImport = async (kind: ImportKind) => {
    if (kind === 'facilities') {
      data.facilities = withGroups(await api.facilities(region.id));
      setFacilities(map, data.facilities);
    } else if (kind === 'units') {
      data.townships = await api.townships(region.id);
      setBaseLayers(map, { townships: data.townships });
    } else if (kind === 'roads') {
      data.roads = await api.roads(region.id);
      setBaseLayers(map, { roads: data.roads });
    } else if (kind === 'population' || kind === 'population-table') {
      data.population = await api.population(region.id);
      addPopulationLayers(map, data.population, 'township-shading');
      setPopulation(map, store.get().population);
    } else if (kind === 'buildable') {
      // buildable land changes where sites may go, not who is covered: no new run
      data.buildable = await api.buildable(region.id);
      setBuildable(map, data.buildable);
      store.set({ buildableCount: data.buildable.features.length });
      return;
    }
    store.set({ indicators: null });
    await controller.run(store.get().selection);
    if (store.get().selection.kind === 'circle') api.indicators(region.id).then((indicators) => store.set({ indicators }), refused('indicator'));
  };
  mountImportPanel(shell.sections.imports, store, api, region.id, (_result, kind) => afterImport(kind));
  mountLayerToggles(shell.sections.layers, store, data.population?.hasAged60 ?? false, data.population !== null);
  mountExportPanel(shell.sections.exports, store, api, map, data, controller);
  mountLegend(shell.map.parentElement ?? shell.map, store, data);
  wireMapInteractions(map, store, controller, plannedCategory);
  shell.settingsButton.addEventListener('click', mountSettingsDialog(document.body, store));
  // body data attributes say what is shown, for the browser tests to wait on
  let answers = 0;
  store.subscribe((s, changed) => {
    if (changed.has('township') && s.township) revealRow(shell.sections.townships, s.township);
    if (changed.has('analysis')) document.body.dataset.analysis = s.analysis ? String(s.analysis.id) : '';
    if (changed.has('whatIf')) document.body.dataset.whatIf = s.whatIf ? String(++answers) : '';
  });

  window.lifecircle = { map, store, renderedGaps: () => map.queryRenderedFeatures({ layers: ['gaps-fill'] }).length };
  api.scenarios(region.id).then((scenarios) => store.set({ scenarios }), refused('scenarios'));
  api.indicators(region.id).then((indicators) => store.set({ indicators }), refused('indicator'));
  if (presetId) await controller.run({ kind: 'circle', id: presetId });
  if (missing.length > 0 && store.get().status.kind !== 'error') store.set({ status: { kind: 'info', text: `${store.get().status.text} · ${missing.join('; ')}` } });
}

const root = document.getElementById('app');
if (root) {
  main(root).catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    root.replaceChildren(Object.assign(document.createElement('p'), { className: 'fatal', textContent: `${t('errorPrefix')}${message}` }));
    console.error(e);
  });
}
