// The township polygon check against PostGIS: polygonProblem(g) is null exactly where ST_IsValid(g) is true,
// on hand-made polygons and on seeded random ones (most of which cross themselves).
import type { Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeValid, polygonProblem } from '../server/io/polygon-validity.ts';
import { seededRandom } from './support/seeded-random.ts';
import { skipMessage, testDatabaseUrl, withClient } from './support/postgres.ts';

const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
const square = (w: number, s: number, e: number, n: number): Position[] => [[w, s], [e, s], [e, n], [w, n], [w, s]];

const HAND: Record<string, Polygon> = {
  square: poly(square(0, 0, 1, 1)),
  'square with a hole': poly(square(0, 0, 1, 1), square(0.2, 0.2, 0.4, 0.4)),
  'bow tie': poly([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]),
  'hole outside': poly(square(0, 0, 1, 1), square(2, 2, 3, 3)),
  'hole crossing the shell': poly(square(0, 0, 1, 1), square(0.5, 0.5, 1.5, 1.5)),
  'figure eight through a vertex': poly([[0, 0], [2, 0], [2, 2], [1, 1], [0, 2], [1, 1], [0, 0]]),
  concave: poly([[0, 0], [4, 0], [4, 4], [2, 1], [0, 4], [0, 0]]),
};

/** A closed ring of n random vertices in the unit square: crossing itself more often than not. */
function randomRing(random: () => number, n: number): Position[] {
  const ring: Position[] = Array.from({ length: n }, () => [Math.round(random() * 1000) / 1000, Math.round(random() * 1000) / 1000]);
  return [...ring, ring[0]];
}

/** A star-shaped ring (angles sorted), which never crosses itself. */
function starRing(random: () => number, n: number): Position[] {
  const angles = Array.from({ length: n }, () => random() * 2 * Math.PI).sort((a, b) => a - b);
  const ring = angles.map((a) => { const r = 0.3 + random() * 0.2; return [Math.round((0.5 + r * Math.cos(a)) * 1e4) / 1e4, Math.round((0.5 + r * Math.sin(a)) * 1e4) / 1e4]; });
  return [...ring, ring[0]];
}

describe('township polygon validity agrees with PostGIS ST_IsValid', () => {
  let url: string | undefined;
  beforeAll(async () => { url = await testDatabaseUrl(); });

  it('on hand-made polygons, on 150 random rings and 50 star-shaped ones', async (ctx) => {
    if (!url) { console.warn(skipMessage('ST_IsValid oracle of polygonProblem')); ctx.skip(); return; }
    const random = seededRandom(42);
    const cases: [string, Polygon][] = Object.entries(HAND);
    for (let i = 0; i < 150; i++) cases.push([`random ${i}`, poly(randomRing(random, 4 + (i % 5)))]);
    for (let i = 0; i < 50; i++) cases.push([`star ${i}`, poly(starRing(random, 5 + (i % 8)), ...(i % 2 ? [square(0.45, 0.45, 0.55, 0.55)] : []))]);
    const valid = await withClient(url, async (c) => {
      const out: boolean[] = [];
      for (const [, g] of cases) out.push((await c.query('SELECT ST_IsValid(ST_GeomFromGeoJSON($1)) AS v', [JSON.stringify(g)])).rows[0].v);
      return out;
    });
    const ours = cases.map(([, g]) => polygonProblem(g) === null);
    const disagree = cases.flatMap(([name, g], i) => (ours[i] === valid[i] ? [] : [`${name}: ours ${polygonProblem(g)}, PostGIS ${valid[i]}`]));
    expect(disagree).toEqual([]);
    // both kinds occur, so the agreement is not all one answer
    expect(valid.filter(Boolean).length).toBeGreaterThan(20);
    expect(valid.filter((v) => !v).length).toBeGreaterThan(20);
  });

  it('make-valid yields what ST_IsValid accepts, of the same area as ST_MakeValid gives', async (ctx) => {
    if (!url) { console.warn(skipMessage('ST_MakeValid oracle of makeValid')); ctx.skip(); return; }
    const bowTie = HAND['bow tie'];
    const repaired = makeValid(bowTie);
    const row = await withClient(url, async (c) => (await c.query(
      'SELECT ST_IsValid(ST_GeomFromGeoJSON($1)) AS valid, ST_Area(ST_GeomFromGeoJSON($1)) AS ours, ST_Area(ST_MakeValid(ST_GeomFromGeoJSON($2))) AS theirs',
      [JSON.stringify(repaired), JSON.stringify(bowTie)],
    )).rows[0]);
    expect(row.valid).toBe(true);
    // two triangles of 0.25 each (hand computation), as ST_MakeValid's MultiPolygon
    expect(row.ours).toBeCloseTo(0.5, 12);
    expect(row.ours).toBeCloseTo(row.theirs, 12);
  });
});
