/**
 * Every call the web app makes to the service, in one module: same origin, relative paths (the app is served
 * by the service under any prefix), JSON in and out, the write token on every non-GET request. The routes are
 * listed in web/API-CONTRACT.md. Nothing here invents a result: a missing route is an error the UI shows.
 */
import type {
  AnalysisView, ComplianceReport, Facilities, GapCollection, ImportOptions, ImportPreview, ImportResult, IndicatorResult, JobEvent, JobStarted, OverlayLayers, Outline,
  CapacitySitesView, TargetSitesView, PopulationGridJson, PresetInfo, RegionInfo, Roads, ScenarioEdit, ScenarioView, SiteCandidates, SuggestedSitesView, Townships, WhatIfResult,
} from './api-types.ts';
import type { FeatureCollection } from 'geojson';
import { indicatorResults } from './indicator-results.ts';

/** An error answer of the service: `{ error: { code, message } }` with its HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export interface ApiClientOptions {
  /** base of the API, default './api' (relative to the page, so a reverse-proxy prefix still works) */
  base?: string;
  /** the write token, read at each request so a token entered later applies at once */
  token?: () => string | null;
}

export type AnalysisRequest = { regionId: number; preset: string; scenarioId?: number | null };

export interface ApiClient {
  readonly base: string;
  url(path: string): string;
  regions(): Promise<RegionInfo[]>;
  outline(regionId: number): Promise<Outline>;
  townships(regionId: number): Promise<Townships>;
  roads(regionId: number): Promise<Roads>;
  population(regionId: number): Promise<PopulationGridJson>;
  facilities(regionId: number): Promise<Facilities>;
  presets(): Promise<PresetInfo[]>;
  indicators(regionId: number, scenarioId?: number | null): Promise<IndicatorResult[]>;
  /** runs a circle as a background job, reporting progress, and returns the filed run */
  runAnalysis(request: AnalysisRequest, onProgress?: (e: JobEvent) => void): Promise<AnalysisView>;
  latestAnalysis(regionId: number, preset: string): Promise<AnalysisView | null>;
  /** the stored run of a preset that matches the region's current data, or null (then run it) */
  currentAnalysis(regionId: number, preset: string): Promise<AnalysisView | null>;
  /** files a scenario run (edits not saved as a scenario), so its exports can be downloaded */
  fileScenario(regionId: number, preset: string, edits: ScenarioEdit[], name: string | null): Promise<AnalysisView>;
  gaps(analysis: AnalysisView): Promise<GapCollection>;
  overlays(analysis: AnalysisView): Promise<OverlayLayers>;
  whatIf(regionId: number, preset: string, edits: ScenarioEdit[]): Promise<WhatIfResult>;
  /** k suggested sites for a circle, against the stored facilities with the scenario's edits counted as built */
  suggestedSites(regionId: number, preset: string, k: number, edits?: ScenarioEdit[], from?: SiteCandidates, budget?: number): Promise<SuggestedSitesView>;
  /** goal target: the fewest sites bringing each township (default every one under the target) to the circle's target */
  targetSites(regionId: number, preset: string, townships: string[] | null, edits?: ScenarioEdit[]): Promise<TargetSitesView>;
  /** goal capacity: k sites of siteCapacity places each, the group assigned to the nearest site with room */
  capacitySites(regionId: number, preset: string, k: number, siteCapacity: number, edits?: ScenarioEdit[]): Promise<CapacitySitesView>;
  /** the region's buildable land (import kind buildable); empty when it has none */
  buildable(regionId: number): Promise<FeatureCollection>;
  /** the same suggestion as a file (xlsx: sites and coverage curve) */
  suggestedSitesFile(regionId: number, preset: string, k: number, edits: ScenarioEdit[], format: 'xlsx' | 'geojson', from?: SiteCandidates): Promise<Blob>;
  scenarios(regionId: number): Promise<ScenarioView[]>;
  saveScenario(regionId: number, scenario: { id?: number; name: string; edits: ScenarioEdit[] }): Promise<ScenarioView>;
  /** a dry run of an import: what the file would write, the columns read, every bad row; nothing is written */
  previewImport(regionId: number, file: File, options: ImportOptions): Promise<ImportPreview>;
  /** the import itself, all or nothing */
  importFile(regionId: number, file: File, options: ImportOptions): Promise<ImportResult>;
  /** download links (GET, so the browser fetches them itself) */
  exportLinks(analysis: AnalysisView, o: { crs: string; encoding: 'UTF-8' | 'GBK'; lang: 'zh' | 'en'; sheet?: string; sites?: { k: number; from: SiteCandidates } | null }): { geojson: string; shapefile: string; csv: string; xlsx: string; gapsXlsx: string; pdf: string };
}

async function readError(res: Response): Promise<ApiError> {
  let code = 'http_error', message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
}

/**
 * A client for the service the page was served from.
 *
 * @example
 * const api = createApiClient({ token: () => sessionStorage.getItem('lifecircle-token') });
 * const [region] = await api.regions();
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = (options.base ?? './api').replace(/\/$/, '');
  const url = (path: string) => `${base}${path.startsWith('/') ? path : `/${path}`}`;
  // links the service returns start with /api/...; keep them relative to our base
  const link = (href: string) => (href.startsWith('/api/') ? url(href.slice(4)) : href);

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = options.token?.();
    if (method !== 'GET' && token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(path.startsWith(base) ? path : url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw await readError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  const get = <T>(path: string) => request<T>('GET', path);

  // a multipart upload: the browser sets the boundary, the token rides as on every write
  async function upload<T>(path: string, file: File, o: ImportOptions): Promise<T> {
    const form = new FormData();
    form.append('kind', o.kind);
    if (o.columns && Object.keys(o.columns).length > 0) form.append('columns', JSON.stringify(o.columns));
    if (o.status) form.append('status', o.status);
    if (o.newCategories) form.append('newCategories', o.newCategories);
    form.append('file', file, file.name);
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.token?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(url(path), { method: 'POST', headers, body: form });
    if (!res.ok) throw await readError(res);
    return (await res.json()) as T;
  }

  function followJob(started: JobStarted, onProgress?: (e: JobEvent) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const events = new EventSource(link(started.links.events));
      const handle = (msg: MessageEvent<string>) => {
        const e = JSON.parse(msg.data) as JobEvent;
        onProgress?.(e);
        if (e.state === 'succeeded') {
          events.close();
          if (typeof e.result?.analysisId === 'number') resolve(e.result.analysisId);
          else reject(new ApiError(500, 'bad_job_result', `job ${e.id} succeeded without an analysisId`));
        } else if (e.state === 'failed') {
          events.close();
          reject(new ApiError(500, e.error?.code ?? 'job_failed', e.error?.message ?? `job ${e.id} failed`));
        }
      };
      events.addEventListener('progress', handle as EventListener);
      events.addEventListener('done', handle as EventListener);
      events.addEventListener('failed', handle as EventListener);
      events.onerror = () => {
        // the stream dropped (a proxy, a restart): ask for the state once instead
        events.close();
        get<JobEvent>(started.links.self.replace(/^\/api/, '')).then((e) => {
          if (e.state === 'succeeded' && typeof e.result?.analysisId === 'number') resolve(e.result.analysisId);
          else if (e.state === 'failed') reject(new ApiError(500, e.error?.code ?? 'job_failed', e.error?.message ?? 'job failed'));
          else setTimeout(() => followJob(started, onProgress).then(resolve, reject), 500);
        }, reject);
      };
    });
  }

  return {
    base,
    url,
    regions: async () => (await get<{ regions: RegionInfo[] }>('/regions')).regions,
    outline: (id) => get(`/regions/${id}/outline`),
    townships: (id) => get(`/regions/${id}/units`),
    roads: (id) => get(`/regions/${id}/roads`),
    population: (id) => get(`/regions/${id}/population`),
    facilities: (id) => get(`/regions/${id}/facilities?format=geojson`),
    presets: async () => (await get<{ presets: PresetInfo[] }>('/presets')).presets,
    indicators: async (id, scenarioId) => indicatorResults(await get<ComplianceReport>(`/regions/${id}/indicators${scenarioId ? `?scenarioId=${scenarioId}` : ''}`)),
    async runAnalysis(req, onProgress) {
      const started = await request<JobStarted>('POST', '/analyses', { regionId: req.regionId, preset: req.preset, ...(req.scenarioId ? { scenarioId: req.scenarioId } : {}), background: true });
      const id = await followJob(started, onProgress);
      return get<AnalysisView>(`/analyses/${id}`);
    },
    async currentAnalysis(regionId, preset) {
      try {
        return await get<AnalysisView>(`/analyses/current?regionId=${regionId}&preset=${encodeURIComponent(preset)}`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    fileScenario: (regionId, preset, edits, name) => request('POST', '/analyses', { regionId, preset, edits, ...(name ? { scenarioName: name } : {}) }),
    async latestAnalysis(regionId, preset) {
      const { analyses } = await get<{ analyses: AnalysisView[] }>(`/analyses?regionId=${regionId}&limit=50`);
      return analyses.find((a) => a.preset === preset && a.scenarioId === null) ?? null;
    },
    gaps: (a) => get(link(a.links.gaps)),
    async overlays(a) {
      const [catchments, isochrones] = await Promise.all([
        get<OverlayLayers['catchments']>(`/analyses/${a.id}/catchments`),
        get<OverlayLayers['isochrones']>(`/analyses/${a.id}/isochrones`),
      ]);
      return { catchments, isochrones };
    },
    // the gaps the edits changed come along (the page keeps the rest), so the map redraws them with each edit
    whatIf: (regionId, preset, edits) => request('POST', `/regions/${regionId}/what-if`, { preset, edits, withGaps: 'changed' }),
    suggestedSites: (regionId, preset, k, edits = [], from = 'uncovered', budget) => request('POST', `/regions/${regionId}/suggested-sites`, { preset, k, edits, candidates: from, ...(budget ? { budget } : {}) }),
    targetSites: (regionId, preset, townships, edits = []) => request('POST', `/regions/${regionId}/suggested-sites`, { preset, edits, goal: 'target', ...(townships ? { townships } : {}) }),
    buildable: (id) => get(`/regions/${id}/buildable`),
    capacitySites: (regionId, preset, k, siteCapacity, edits = []) => request('POST', `/regions/${regionId}/suggested-sites`, { preset, k, edits, goal: 'capacity', siteCapacity }),
    async suggestedSitesFile(regionId, preset, k, edits, format, from = 'uncovered') {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      const token = options.token?.();
      if (token) headers.Authorization = `Bearer ${token}`;
      const res = await fetch(url(`/regions/${regionId}/suggested-sites/file?format=${format}`), { method: 'POST', headers, body: JSON.stringify({ preset, k, edits, candidates: from }) });
      if (!res.ok) throw await readError(res);
      return res.blob();
    },
    scenarios: async (regionId) => (await get<{ scenarios: ScenarioView[] }>(`/regions/${regionId}/scenarios`)).scenarios,
    saveScenario: (regionId, s) => (s.id
      ? request('PATCH', `/scenarios/${s.id}`, { name: s.name, edits: s.edits })
      : request('POST', `/regions/${regionId}/scenarios`, { name: s.name, edits: s.edits })),
    previewImport: (regionId, file, o) => upload(`/regions/${regionId}/imports/preview`, file, o),
    importFile: (regionId, file, o) => upload(`/regions/${regionId}/imports`, file, o),
    exportLinks(a, o) {
      const crs = `crs=${encodeURIComponent(o.crs)}`;
      return {
        geojson: `${url(`/analyses/${a.id}/gaps.geojson`)}?${crs}`,
        shapefile: `${url(`/analyses/${a.id}/gaps.zip`)}?${crs}&encoding=${o.encoding}`,
        csv: `${link(a.links.reportCsv)}?lang=${o.lang}&encoding=${o.encoding}`,
        xlsx: `${url(`/analyses/${a.id}/report.xlsx`)}?lang=${o.lang}`,
        gapsXlsx: `${url(`/analyses/${a.id}/gaps.xlsx`)}?lang=${o.lang}`,
        // sheet 'A3-portrait' → paper and orientation
        pdf: `${url(`/analyses/${a.id}/sheet.pdf`)}?paper=${(o.sheet ?? 'A4-landscape').split('-')[0]}&orientation=${(o.sheet ?? 'A4-landscape').split('-')[1]}${o.sites ? `&sites=${o.sites.k}&candidates=${o.sites.from}` : ''}`,
      };
    },
  };
}
