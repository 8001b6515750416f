import { ApiError, type ApiClient } from '../source/api-client.ts';
import type { AnalysisView, PresetInfo, ScenarioEdit, SiteCandidates } from '../source/api-types.ts';
import { mergeChangedGaps } from '../source/scenario-gaps.ts';
import { analysisCategories } from '../source/analysis-categories.ts';
import { rankCapacitySites, rankSites, rankTargetSites, siteCurve } from '../source/ranked-sites.ts';
import type { RegionData } from '../source/region-data.ts';
import type { AppState, Selection, Store } from './app-state.ts';
import { lang, pick, t } from './i18n.ts';

export interface Controller {
  /** runs a circle (on the stored facilities, or with a saved scenario's edits) or shows an indicator */
  run(selection: Selection, scenarioId?: number | null): Promise<void>;
  /** applies a new edit list and asks the service what it changes */
  setEdits(edits: ScenarioEdit[]): void;
  suggest(k: number, from?: SiteCandidates, budget?: number): Promise<void>;
  /** goal target: the fewest sites bringing the selected township (or every one under the target) to the circle's target */
  suggestTarget(township: string | null): Promise<void>;
  /** goal capacity: k sites of `siteCapacity` places; the group split into served, short of places, out of reach */
  suggestCapacity(k: number, siteCapacity: number): Promise<void>;
  /** the last suggestion as an Excel workbook (sites, coverage curve, parameters); null before any */
  suggestionFile(): Promise<Blob | null>;
  /** the run the exports download: the filed run, or the scenario's (filed on first use for the edits shown) */
  exportRun(): Promise<AnalysisView | null>;
  saveScenario(name: string): Promise<void>;
  openScenario(id: number | null): Promise<void>;
  /** the categories a planned facility may take for the current circle (what-if ignores the others) */
  plannedCategories(): string[];
  nextFacilityId(): string;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The app's actions: running a circle or an indicator, the what-if round trips (latest edits win, one request
 * in flight), suggested sites and scenarios. Results go into the store; nothing here touches the DOM.
 *
 * @example const c = createController(api, store, data); await c.run({ kind: 'circle', id: 'elderly-care-15min' });
 */
export function createController(api: ApiClient, store: Store, data: RegionData): Controller {
  const regionId = data.region.id;
  let runSeq = 0;
  let inFlight = false, again = false;
  // what the sites shown were asked with, so the file holds the same sites
  let lastSuggest: { preset: string; k: number; edits: ScenarioEdit[]; from: SiteCandidates } | null = null;
  // the gaps of the last full run, shown again when the edits are cleared
  let runGaps: AppState['gaps'] = null;
  let counter = 0;

  const preset = (): PresetInfo | undefined => {
    const s = store.get().selection;
    return s.kind === 'circle' ? data.presets.find((p) => p.id === s.id) : undefined;
  };

  async function refreshWhatIf(): Promise<void> {
    if (inFlight) return void (again = true);
    inFlight = true;
    try {
      do {
        again = false;
        const s = store.get();
        if (s.selection.kind !== 'circle' || !s.analysis || s.edits.length === 0) {
          // no edits left: the run's own gaps again
          store.set({ whatIf: null, ...(runGaps && s.whatIf ? { gaps: runGaps } : {}) });
          continue;
        }
        const asked = performance.now();
        const result = await api.whatIf(regionId, s.selection.id, s.edits);
        // a newer edit list is waiting: this answer is already stale
        if (again) continue;
        // the first answer brings the townships it changed to the top of the table
        const sort = store.get().whatIf === null && store.get().sort.column === 'share' ? { column: 'change' as const, dir: -1 as const } : store.get().sort;
        const gaps = result.gapsChanged && runGaps ? mergeChangedGaps(runGaps, result.gapsChanged) : store.get().gaps;
        const ignored = result.ignoredEdits.length > 0 ? ` · ${t('ignoredEdits', { n: result.ignoredEdits.length })}` : '';
        store.set({ whatIf: result, sort, gaps, status: { kind: 'idle', text: `${t('whatIfTime', { ms: Math.round(performance.now() - asked) })}${ignored}` } });
      } while (again);
    } catch (e) {
      store.set({ whatIf: null, status: { kind: 'error', text: message(e) } });
    } finally {
      inFlight = false;
    }
  }

  async function runCircle(id: string, seq: number, scenarioId: number | null): Promise<void> {
    const s = store.get();
    const started = performance.now();
    let analysis: AnalysisView | null = null;
    let opened = false;
    try {
      // a stored run of the same data is the answer: open it instead of computing again
      if (scenarioId === null) {
        store.set({ status: { kind: 'busy', text: t('lookingForStored'), progress: null } });
        analysis = await api.currentAnalysis(regionId, id);
        opened = analysis !== null;
      }
      analysis ??= await api.runAnalysis({ regionId, preset: id, scenarioId }, (e) => {
        if (seq === runSeq) store.set({ status: { kind: 'busy', text: e.step || t('running'), progress: e.progress } });
      });
    } catch (e) {
      // without the write token a run is refused: show the newest stored run of the circle, if any
      if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) throw e;
      analysis = await api.latestAnalysis(regionId, id);
      if (!analysis) throw new ApiError(e.status, e.code, t('needToken'));
      store.set({ status: { kind: 'info', text: `${t('showingStored', { when: new Date(analysis.createdAt).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB') })} — ${t('needToken')}` } });
    }
    if (seq === runSeq) store.set({ status: { kind: 'busy', text: t('loadingGaps'), progress: null } });
    const gaps = await api.gaps(analysis);
    if (seq !== runSeq) return;
    runGaps = gaps;
    const stored = store.get().status.kind === 'info';
    // the time the planner waited, from the click to the map
    const waited = t('waited', { s: ((performance.now() - started) / 1000).toFixed(1) });
    const when = new Date(analysis.createdAt).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB');
    store.set({
      analysis, gaps, whatIf: null, scenarioRun: null, suggestions: [], siteCurve: null, capacity: null, targets: null, budget: null, overlays: null,
      status: stored ? store.get().status : { kind: 'idle', text: opened ? `${t('openedStored', { when })} · ${waited}` : waited },
    });
    // catchments and isochrone bands are extras: the map works without them, and says why they are missing
    api.overlays(analysis).then((overlays) => seq === runSeq && store.set({ overlays }), (e) => {
      if (seq === runSeq && store.get().status.kind !== 'error') store.set({ status: { kind: 'info', text: `${store.get().status.text} · ${t('overlaysMissing', { why: message(e) })}` } });
    });
    if (s.edits.length > 0) await refreshWhatIf();
    // the service warms its what-if session on the first question: ask an empty one now, so the planner's first
    // edit answers as fast as the rest
    else void api.whatIf(regionId, id, []).catch((e) => store.set({ status: { kind: 'error', text: message(e) } }));
  }

  async function ensureIndicators(): Promise<void> {
    if (store.get().indicators) return;
    store.set({ indicators: await api.indicators(regionId, store.get().scenario?.id ?? null) });
  }

  return {
    async run(selection, scenarioId = null) {
      const seq = ++runSeq;
      store.set({ selection, status: { kind: 'busy', text: t('running'), progress: null } });
      try {
        if (selection.kind === 'circle') await runCircle(selection.id, seq, scenarioId);
        else {
          await ensureIndicators();
          if (seq === runSeq) store.set({ status: { kind: 'idle', text: '' } });
        }
      } catch (e) {
        if (seq === runSeq) store.set({ status: { kind: 'error', text: message(e) } });
      }
    },
    setEdits(edits) {
      store.set({ edits });
      void refreshWhatIf();
    },
    async suggest(k, from = 'uncovered', budget) {
      const s = store.get();
      if (s.selection.kind !== 'circle') return;
      store.set({ status: { kind: 'busy', text: t('running'), progress: null } });
      try {
        const r = await api.suggestedSites(regionId, s.selection.id, k, s.edits, from, budget);
        lastSuggest = budget ? null : { preset: s.selection.id, k, edits: s.edits, from };
        store.set({
          suggestions: rankSites(r, data.townships), siteCurve: siteCurve(r), sitesAsked: budget ? null : { k, from }, capacity: null, targets: null,
          budget: r.budget ? { budget: r.budget.budget, spent: r.budget.spent, note: r.budget.note } : null, status: { kind: 'idle', text: t('ranIn', { ms: Math.round(r.ms) }) } });
      } catch (e) {
        store.set({ status: { kind: 'error', text: message(e) } });
      }
    },
    async suggestCapacity(k, siteCapacity) {
      const s = store.get();
      if (s.selection.kind !== 'circle') return;
      store.set({ status: { kind: 'busy', text: t('running'), progress: null } });
      try {
        const r = await api.capacitySites(regionId, s.selection.id, k, siteCapacity, s.edits);
        // the workbook and the sheet are the coverage goal's: a capacity answer has its own totals instead
        lastSuggest = null;
        store.set({
          suggestions: rankCapacitySites(r, data.townships), siteCurve: null, sitesAsked: null,
          targets: null, budget: null, capacity: { siteCapacity: r.siteCapacity, baseline: r.baseline, totals: r.totals }, status: { kind: 'idle', text: t('ranIn', { ms: Math.round(r.ms) }) },
        });
      } catch (e) {
        store.set({ status: { kind: 'error', text: message(e) } });
      }
    },
    async suggestTarget(township) {
      const s = store.get();
      if (s.selection.kind !== 'circle') return;
      store.set({ status: { kind: 'busy', text: t('running'), progress: null } });
      try {
        const started = performance.now();
        const r = await api.targetSites(regionId, s.selection.id, township ? [township] : null, s.edits);
        lastSuggest = null;
        store.set({
          suggestions: rankTargetSites(r, data.townships),
          targets: r.townships.map((x) => ({ name: x.name, shareBefore: x.shareBefore, shareAfter: x.shareAfter, target: x.target, reached: x.reached, sites: x.sites.length, reason: x.reason ? pick(x.reason) : null })),
          siteCurve: null, sitesAsked: null, capacity: null, budget: null,
          status: { kind: 'idle', text: t('ranIn', { ms: Math.round(performance.now() - started) }) },
        });
      } catch (e) {
        store.set({ status: { kind: 'error', text: message(e) } });
      }
    },
    async suggestionFile() {
      if (!lastSuggest) return null;
      try {
        return await api.suggestedSitesFile(regionId, lastSuggest.preset, lastSuggest.k, lastSuggest.edits, 'xlsx', lastSuggest.from);
      } catch (e) {
        store.set({ status: { kind: 'error', text: message(e) } });
        return null;
      }
    },
    async exportRun() {
      const s = store.get();
      if (s.selection.kind !== 'circle' || !s.analysis) return null;
      if (!s.whatIf || s.edits.length === 0) return s.analysis;
      const key = JSON.stringify(s.edits);
      if (s.scenarioRun?.edits === key) return s.scenarioRun.run;
      try {
        store.set({ status: { kind: 'busy', text: t('fileScenario'), progress: null } });
        const run = await api.fileScenario(regionId, s.selection.id, s.edits, s.scenario?.name ?? null);
        store.set({ scenarioRun: { edits: key, run }, status: { kind: 'idle', text: t('scenarioFiled', { id: run.id }) } });
        return run;
      } catch (e) {
        store.set({ status: { kind: 'error', text: message(e) } });
        return null;
      }
    },
    async saveScenario(name) {
      const s = store.get();
      try {
        const sameName = s.scenario && s.scenario.name === name ? s.scenario.id : undefined;
        const saved = await api.saveScenario(regionId, { id: sameName, name, edits: s.edits });
        store.set({ scenario: { id: saved.id, name: saved.name }, scenarios: await api.scenarios(regionId), status: { kind: 'idle', text: `${t('saved')}: ${saved.name}` } });
      } catch (e) {
        store.set({ status: { kind: 'error', text: message(e) } });
      }
    },
    async openScenario(id) {
      if (id === null) {
        store.set({ scenario: null });
        return this.setEdits([]);
      }
      const found = store.get().scenarios.find((x) => x.id === id);
      if (!found) return;
      store.set({ scenario: { id: found.id, name: found.name } });
      this.setEdits(found.edits);
    },
    plannedCategories() {
      // what-if answers circles only; an indicator offers nothing to plan here
      return preset() ? analysisCategories(store.get().selection, data.presets) ?? [] : [];
    },
    nextFacilityId() {
      counter += 1;
      return `planned-${Date.now().toString(36)}-${counter}`;
    },
  };
}
