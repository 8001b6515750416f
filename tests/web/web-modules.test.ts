// The web app's pure modules in Node: the offline style asks for nothing outside the page's own data, the
// table rows follow the service's rules, edits stay one per facility, both languages say the same things.
import type { FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { AnalysisView, ComplianceReport, RegionInfo, SuggestedSitesView, Townships, UnitRow, WhatIfResult } from '../../web/src/source/api-types.ts';
import { indicatorResults } from '../../web/src/source/indicator-results.ts';
import { rankSites, siteCurve } from '../../web/src/source/ranked-sites.ts';
import type { RegionData } from '../../web/src/source/region-data.ts';
import { TEXT_FONT } from '../../web/src/style/local-fonts.ts';
import { mapStyle } from '../../web/src/style/map-style.ts';
import { COVERAGE_STOPS, rampPosition } from '../../web/src/style/palette.ts';
import { checkTileSetting } from '../../web/src/style/tile-source.ts';
import { messageKeys, setLang, t } from '../../web/src/ui/i18n.ts';
import { addFacility, dropEdit, moveFacility, removeFacility } from '../../web/src/ui/scenario-edits.ts';
import { circleRows, sortRows } from '../../web/src/ui/township-rows.ts';

const square = (x: number, y: number, d = 0.1) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

const townships: Townships = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: square(106.3, 30.4), properties: { name: '九龙街道', code: '511621001', position: 0, seat: [106.35, 30.45] } },
    { type: 'Feature', geometry: square(106.4, 30.4), properties: { name: '白庙镇', code: '511621101', position: 1 } },
  ],
};

const region: RegionInfo = { id: 1, name: '岳池县', code: '511621', bbox: [106.3, 30.4, 106.5, 30.5], metadata: { synthetic: true }, layers: { units: 2, grid: null, roads: null } };
const places: FeatureCollection<Point, { name: string; code: string; rank: number }> = { type: 'FeatureCollection', features: [] };
const data: RegionData = {
  region, outline: null, townships, roads: null, population: null, presets: [], places, bbox: [106.3, 30.4, 106.5, 30.5],
  facilities: { type: 'FeatureCollection', features: [] }, buildable: { type: 'FeatureCollection', features: [] },
};

const count = (total: number, covered: number) => ({ total, covered, uncovered: total - covered, coveredShare: total > 0 ? covered / total : null });
const unit = (code: string, name: string, aged: [number, number], before?: number): UnitRow => ({
  code, name, group: count(aged[0], aged[1]), population: count(aged[0] * 3, aged[1] * 3), aged60: count(aged[0], aged[1]), unreachable: 0, cells: 10,
  coveredShare: aged[1] / aged[0], verdict: aged[1] / aged[0] >= 0.9 ? 'pass' : 'fail', gaps: 2,
  baseline: before === undefined ? null : { covered: before, coveredShare: before / aged[0], verdict: before / aged[0] >= 0.9 ? 'pass' : 'fail', gaps: 3 },
  change: before === undefined ? null : aged[1] - before,
});
const analysis = {
  id: 7, regionId: 1, scenarioId: null, preset: 'elderly-care-15min', createdAt: '2026-11-29T00:00:00Z',
  summary: { group: 'aged60', coverageTarget: 0.9 }, units: [unit('511621001', '九龙街道', [1000, 800]), unit('511621101', '白庙镇', [500, 100])],
  links: { self: '/api/analyses/7', gaps: '/api/analyses/7/gaps', reportCsv: '/api/analyses/7/report.csv', reportHtml: '' },
} as unknown as AnalysisView;

describe('offline style', () => {
  const style = mapStyle(data, { kind: 'none' });

  it('names no glyphs, no sprite and no URL: every source is inline GeoJSON', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    for (const [id, source] of Object.entries(style.sources)) {
      expect(source.type, id).toBe('geojson');
      expect(typeof (source as { data: unknown }).data, id).toBe('object');
    }
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
  });

  it('draws every label with the local font stack, and keeps layer ids unique with the gap layer the tests query', () => {
    const ids = style.layers.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('gaps-fill');
    expect(ids.indexOf('gaps-fill')).toBeGreaterThan(ids.indexOf('roads-0'));
    for (const l of style.layers) {
      if (l.type === 'symbol' && l.layout && 'text-field' in l.layout) expect(l.layout['text-font'], l.id).toEqual(TEXT_FONT);
    }
  });

  it('adds online tiles only when asked, with their attribution, under the county fill', () => {
    const online = mapStyle(data, { kind: 'tianditu', key: '0123456789abcdef0123456789abcdef' });
    expect(Object.keys(online.sources)).toEqual(expect.arrayContaining(['tiles-base', 'tiles-labels']));
    expect(JSON.stringify(online.sources['tiles-base'])).toContain('tianditu.gov.cn');
    const ids = online.layers.map((l) => l.id);
    expect(ids.indexOf('tiles-base')).toBeLessThan(ids.indexOf('county-fill'));
  });

  it('checks tile settings and says what to fix', () => {
    expect(checkTileSetting({ kind: 'none' })).toBeNull();
    expect(checkTileSetting({ kind: 'tianditu', key: 'not a key' })).toMatch(/key/);
    expect(checkTileSetting({ kind: 'xyz', url: 'https://t.example/{z}/{x}.png', attribution: '© x' })).toMatch(/\{y\}/);
    expect(checkTileSetting({ kind: 'xyz', url: 'https://t.example/{z}/{x}/{y}.png', attribution: ' ' })).toMatch(/attribution/);
  });

  it('places legend ticks on the evenly spaced ramp', () => {
    expect(rampPosition(COVERAGE_STOPS, 0)).toBe(0);
    expect(rampPosition(COVERAGE_STOPS, 0.9)).toBeCloseTo(0.75);
    expect(rampPosition(COVERAGE_STOPS, 2)).toBe(1);
  });
});

describe('township rows', () => {
  it('shows the group of the circle, and a what-if\'s rows as the service sent them, with the baseline beside', () => {
    const before = circleRows(analysis);
    expect(before.map((r) => [r.total, r.share, r.verdict, r.before, r.change])).toEqual([[1000, 0.8, 'fail', null, null], [500, 0.2, 'fail', null, null]]);
    const whatIf = { summary: analysis.summary, units: [unit('511621001', '九龙街道', [1000, 920], 800), unit('511621101', '白庙镇', [500, 100], 100)] } as unknown as WhatIfResult;
    const after = circleRows(whatIf);
    expect(after[0]).toMatchObject({ share: 0.92, before: 0.8, uncovered: 80, verdict: 'pass', change: 120, gaps: 2 });
    expect(after[1]).toMatchObject({ share: 0.2, before: 0.2, verdict: 'fail', change: 0 });
  });

  it('sorts by a column with missing values last, names by Chinese collation', () => {
    const rows = circleRows(analysis);
    expect(sortRows(rows, 'share', 1).map((r) => r.name)).toEqual(['白庙镇', '九龙街道']);
    expect(sortRows(rows, 'share', -1).map((r) => r.name)).toEqual(['九龙街道', '白庙镇']);
    const withNull = [{ ...rows[0], change: null }, { ...rows[1], change: 5 }];
    expect(sortRows(withNull, 'change', 1).map((r) => r.change)).toEqual([5, null]);
    expect(sortRows(withNull, 'change', -1).map((r) => r.change)).toEqual([5, null]);
  });
});

describe('scenario edits', () => {
  it('keeps one edit per facility however often it is dragged, and removing a planned one forgets it', () => {
    let edits = addFacility([], { id: 'p1', lon: 106.4, lat: 30.5, category: 'meal_point' });
    edits = moveFacility(edits, 'p1', 106.41, 30.51);
    expect(edits).toEqual([{ op: 'add', id: 'p1', lon: 106.41, lat: 30.51, category: 'meal_point' }]);
    edits = moveFacility(edits, 12, 106.42, 30.52);
    edits = moveFacility(edits, 12, 106.43, 30.53);
    expect(edits).toHaveLength(2);
    expect(edits[1]).toEqual({ op: 'move', id: 12, lon: 106.43, lat: 30.53 });
    edits = removeFacility(edits, 12);
    expect(edits[1]).toEqual({ op: 'remove', id: 12 });
    expect(removeFacility(edits, 'p1')).toEqual([{ op: 'remove', id: 12 }]);
    expect(dropEdit(edits, 0)).toEqual([{ op: 'remove', id: 12 }]);
  });
});

describe('service answers read by the browser', () => {
  it('numbers suggested sites in their greedy order and finds their township', () => {
    const view = { sites: [{ lon: 106.45, lat: 30.45, gain: 812, gainAged60: 240, parcel: '白庙镇-储备地块-01' }, { lon: 106.9, lat: 30.9, gain: 10, gainAged60: 3 }] } as unknown as SuggestedSitesView;
    expect(rankSites(view, townships)).toEqual([
      { rank: 1, lon: 106.45, lat: 30.45, gain: { population: 812, aged60: 240 }, parcel: '白庙镇-储备地块-01', township: { code: '511621101', name: '白庙镇' } },
      { rank: 2, lon: 106.9, lat: 30.9, gain: { population: 10, aged60: 3 }, parcel: null, township: null },
    ]);
  });

  it('draws the coverage curve in the circle\'s group: 60+ when the objective counts only them, k = 0 the baseline', () => {
    // 60+: 1,000 in all, 300 covered today, then 340 and 365 after two sites → 0.3, 0.34, 0.365 (by hand)
    const view = {
      weight: { population: 0, aged60: 1 }, totalPopulation: 5000, totalAged60: 1000, baselineCovered: 2000, baselineCoveredAged60: 300,
      curve: [{ k: 1, covered: 2200, coveredAged60: 340, share: 0.44 }, { k: 2, covered: 2300, coveredAged60: 365, share: 0.46 }],
    } as unknown as SuggestedSitesView;
    expect(siteCurve(view)).toEqual({ group: 'aged60', points: [{ k: 0, share: 0.3 }, { k: 1, share: 0.34 }, { k: 2, share: 0.365 }] });
    // all residents when the objective weighs them: 2000/5000, 2200/5000, 2300/5000
    expect(siteCurve({ ...view, weight: { population: 1, aged60: 0 } } as SuggestedSitesView).points.map((p) => p.share)).toEqual([0.4, 0.44, 0.46]);
  });

  it('reads indicators, not circles, from a compliance report', () => {
    const row = (itemId: string, areaKind: 'county' | 'township', areaCode: string, value: number, shortfall: number | null) => ({
      itemId, areaKind, areaCode, areaName: areaCode, value, target: 3, verdict: shortfall ? 'fail' : 'pass', shortfall,
      valueText: { zh: `${value}`, en: `${value}` }, shortfallText: { zh: `缺${shortfall}`, en: `short ${shortfall}` },
    });
    const report = {
      items: [
        { id: 'elderly-care-15min', kind: 'circle', zh: '圈', en: 'circle', target: { zh: '', en: '' }, source: 's' },
        { id: 'childcare-slots', kind: 'ratio', zh: '托位', en: 'slots', target: { zh: '≥3', en: '≥3' }, source: 'plan' },
      ],
      rows: [row('elderly-care-15min', 'county', '511621', 0.3, 100), row('childcare-slots', 'county', '511621', 2.1, 600), row('childcare-slots', 'township', '511621001', 4, null)],
    } as unknown as ComplianceReport;
    const [only, ...rest] = indicatorResults(report);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ id: 'childcare-slots', target: 3, county: { value: 2.1, verdict: 'fail', shortfall: 600, text: { zh: '缺600' } } });
    expect(only.units).toEqual([{ code: '511621001', name: '511621001', value: 4, verdict: 'pass', shortfall: null, text: { zh: '4', en: '4' } }]);
  });
});

describe('interface text', () => {
  it('has every message in both languages with the same placeholders', () => {
    const { zh, en } = messageKeys();
    expect(en.sort()).toEqual(zh.sort());
    for (const key of zh as Array<Parameters<typeof t>[0]>) {
      const names = (lang: 'zh' | 'en') => {
        setLang(lang);
        return [...t(key).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      };
      expect(names('en'), key).toEqual(names('zh'));
    }
  });
});
