/**
 * The shapes the web app reads from the service. Where the service already defines a response type it is
 * imported (type-only, erased from the bundle), so `npm run typecheck` catches a drift between the two; the
 * rest are the contract written down in web/API-CONTRACT.md until the service implements them.
 */
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { GapProperties } from '../../../analysis/circles/circle-gaps.ts';
import type { IsochroneProperties } from '../../../analysis/isochrones/isochrone-bands.ts';
import type { ScenarioEdit } from '../../../analysis/scenario/scenario-engine.ts';
import type { ComplianceReport } from '../../../analysis/standards/compliance-report.ts';
import type { AnalysisSummary, UnitRow, Verdict } from '../../../server/features/analyses/analysis-summary.ts';
import type { CapacitySitesView, SuggestedSitesView, TargetSitesView } from '../../../server/features/sites/site.service.ts';
import type { ImportPreview, ImportView } from '../../../server/features/imports/import.service.ts';
import type { RowProblem } from '../../../server/io/row-problem.ts';

export type { ImportPreview, RowProblem };

/** What an import wrote: the record and rows per layer (`facilities`, `cells`, `ways`, `units`, `deleted`). */
export interface ImportResult {
  import: Jsonified<ImportView>;
  written: Record<string, number>;
}

/** The kinds of file the service imports, and the options a form sends with one. */
export type ImportKind = ImportPreview['kind'];
export type ImportOptions = { kind: ImportKind; columns?: Record<string, string>; status?: string; newCategories?: string };

export type { TargetSitesView };
export type { AnalysisSummary, CapacitySitesView, ComplianceReport, GapProperties, IsochroneProperties, ScenarioEdit, SuggestedSitesView, UnitRow, Verdict };

/** Goal (c) in the page: per township, the share before and after its fewest sites, reached or why not. */
export type TargetOutcome = Array<{ name: string; shareBefore: number | null; shareAfter: number | null; target: number; reached: boolean; sites: number; reason: string | null }>;

/** Goal (d) in the page: the group split into served, short of places and out of reach, today and with the sites. */
export interface CapacityOutcome {
  siteCapacity: number;
  baseline: CapacitySitesView['baseline'];
  totals: CapacitySitesView['totals'];
}

/** JSON turns dates into strings. */
type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

export interface RegionInfo {
  id: number;
  name: string;
  code: string | null;
  bbox: [number, number, number, number] | null;
  metadata: Record<string, unknown>;
  layers: {
    units: number;
    grid: { id: number; name: string; cells: number; cellSize: number; metadata: Record<string, unknown> } | null;
    roads: { id: number; name: string; nodes: number; ways: number; metadata: Record<string, unknown> } | null;
  };
}

export type Area = Polygon | MultiPolygon;

/** Township (admin unit) properties as `unitsGeoJson` writes them, plus what the demo file carries. */
export interface UnitProperties {
  name: string;
  code: string;
  position: number;
  /** [lon, lat] of the township seat, where the data give one */
  seat?: [number, number];
  [key: string]: unknown;
}

export interface RoadProperties {
  highway: string;
  name?: string;
  ref?: string;
  [key: string]: unknown;
}

/** The live population grid as column arrays (contract: GET /api/regions/:id/population). */
export interface PopulationGridJson {
  lon0: number;
  lat0: number;
  x0: number;
  y0: number;
  cellSize: number;
  cols: number;
  rows: number;
  count: number;
  hasAged60: boolean;
  /** row * cols + col of each populated cell */
  cellIndex: number[];
  population: number[];
  aged60: number[];
}

export interface FacilityProperties {
  id: number;
  category: string;
  name: string;
  status: 'existing' | 'planned' | 'candidate';
  capacity: number | null;
  [key: string]: unknown;
}

export interface ServiceGroupInfo { id: string; zh: string; en: string; categories: string[] }
export interface ReachInfo { mode: string; minutes?: number; meters?: number }

export interface PresetInfo {
  id: string;
  zh: string;
  en: string;
  services: ServiceGroupInfo[];
  require: 'every' | 'any';
  urban: ReachInfo | null;
  rural: ReachInfo | null;
  population: 'all' | 'aged60' | 'rural';
  coverageTarget: number;
  source: string;
  assumed: Record<string, string>;
  notes: string[];
  text: { urban: { zh: string; en: string } | null; rural: { zh: string; en: string } | null };
}

export interface AnalysisView {
  id: number;
  regionId: number;
  scenarioId: number | null;
  preset: string | null;
  summary: AnalysisSummary;
  units: UnitRow[];
  links: { self: string; gaps: string; reportCsv: string; reportHtml: string };
  createdAt: string;
}

export interface JobStarted {
  job: { id: number; state: string };
  links: { self: string; events: string };
}

export interface JobEvent {
  id: number;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  step: string;
  progress: number | null;
  result: { analysisId?: number } | null;
  error: { code: string; message: string } | null;
}

export type GapCollection = FeatureCollection<Area, GapProperties>;

/**
 * Catchments (one polygon per facility, its own reach; they overlap) and isochrone bands (all facilities
 * together, band 0 the nearest), both as the engine's isochrone polygons (contract).
 */
export interface OverlayLayers {
  catchments: FeatureCollection<Area, IsochroneProperties>;
  isochrones: FeatureCollection<Area, IsochroneProperties>;
}

/** One indicator for one area, read off the compliance report's rows. */
export interface IndicatorRow {
  code: string;
  name: string;
  value: number | null;
  verdict: Verdict;
  /** what is missing to reach the target, in the indicator's need noun (e.g. 120 childcare slots) */
  shortfall: number | null;
  /** the shortfall (or, when there is none, the value) as a sentence */
  text: { zh: string; en: string };
}

/** An indicator of the plan judged for the county and, where it applies, per township. */
export interface IndicatorResult {
  id: string;
  zh: string;
  en: string;
  kind: string;
  /** the county's target value (ratios: per `per` residents) */
  target: number;
  /** the unit of values and target, e.g. 个/千人 */
  unit: { zh: string; en: string } | null;
  targetText: { zh: string; en: string };
  source: string;
  county: IndicatorRow;
  units: IndicatorRow[];
}

export type ScenarioView = Jsonified<{ id: number; regionId: number; name: string; description: string; edits: ScenarioEdit[]; createdAt: Date; updatedAt: Date }>;

export type { ChangedGaps, WhatIfResult } from '../../../server/features/scenarios/what-if.service.ts';

/** What the county card, the table and the shading read: a filed run, or a what-if's whole result. */
export type CircleRunView = Pick<AnalysisView, 'summary' | 'units'>;

/** A suggested site with its marginal gain, ranked, and the township it falls in (found in the browser). */
/** Where suggested sites may go: thinned uncovered cells, or the region's buildable land. */
export type SiteCandidates = 'uncovered' | 'buildable';

/** The group's covered share before any new site (k = 0) and after each, from the suggestion's own curve. */
export interface SiteCurve {
  group: 'aged60' | 'population';
  points: Array<{ k: number; share: number }>;
}

export interface SuggestedSite {
  rank: number;
  lon: number;
  lat: number;
  /** the buildable parcel it stands on, when sites were drawn from buildable land */
  parcel: string | null;
  /** residents newly covered by this site given the sites ranked before it */
  gain: { population: number; aged60: number | null };
  township: { code: string; name: string } | null;
}

export type Outline = Feature<Area, Record<string, unknown>>;
export type Townships = FeatureCollection<Area, UnitProperties>;
export type Roads = FeatureCollection<LineString | MultiLineString, RoadProperties>;
export type Facilities = FeatureCollection<Point, FacilityProperties>;
