/**
 * Where people live: the county seat's built-up core, each township seat's built-up area, and the village
 * (村) and community (社区) centres of the real village list, placed at generated positions.
 */
import { createNoise, createRng } from './random.ts';
import { bboxOfMulti, distanceToBoundary, pointInMulti } from './frame.ts';
import { shortVillageName, type Division } from './sources.ts';
import type { Township } from './townships.ts';

export interface BuiltUp {
  /** index into the township list; -1 for the county core, which spans both streets */
  township: number;
  cx: number;
  cy: number;
  /** mean radius in metres */
  radius: number;
  /** urban residents this built-up area is given (before integer rounding) */
  urbanTarget: number;
  /** true when the point lies inside this built-up area */
  contains(x: number, y: number): boolean;
  /** 0 at the centre, 1 at the edge */
  relDistance(x: number, y: number): number;
}

export interface VillageSite {
  code: string;
  /** short name, e.g. 花园坪村 or 公园路社区 */
  name: string;
  kind: 'village' | 'community';
  township: number;
  x: number;
  y: number;
}

export interface Settlements {
  core: BuiltUp;
  /** one per township; the streets' entries are the county core */
  seats: BuiltUp[];
  villages: VillageSite[];
}

/** Residents of the county seat's core (the rest of the census urban figure lives in town seats). */
export const CORE_URBAN = 208_000;

function makeBuiltUp(township: number, cx: number, cy: number, radius: number, urbanTarget: number, seed: number): BuiltUp {
  const wobble = createNoise(seed, 1.1, 3);
  const r = (x: number, y: number): number => {
    const a = Math.atan2(y - cy, x - cx);
    return radius * (0.62 + 0.76 * wobble(Math.cos(a) + 5, Math.sin(a) + 5));
  };
  return {
    township, cx, cy, radius, urbanTarget,
    contains: (x, y) => Math.hypot(x - cx, y - cy) < r(x, y),
    relDistance: (x, y) => Math.hypot(x - cx, y - cy) / r(x, y),
  };
}

function bestCandidate(
  rng: ReturnType<typeof createRng>, count: number, taken: [number, number][],
  propose: () => [number, number] | null, tries = 40,
): [number, number][] {
  const placed: [number, number][] = [];
  for (let n = 0; n < count; n++) {
    let best: [number, number] | null = null, bestD = -1;
    // count only proposals that land in the allowed area, which may be a small part of the zone's bbox
    for (let k = 0, valid = 0; valid < tries && k < 50 * tries; k++) {
      const c = propose();
      if (!c) continue;
      valid++;
      let d = Infinity;
      for (const s of taken) d = Math.min(d, Math.hypot(s[0] - c[0], s[1] - c[1]));
      for (const s of placed) d = Math.min(d, Math.hypot(s[0] - c[0], s[1] - c[1]));
      // a little randomness in the score keeps the villages from sitting on a perfect lattice
      const score = d * rng.range(0.8, 1.2);
      if (score > bestD) { bestD = score; best = c; }
    }
    if (!best) throw new Error(`settlements: found no place for site ${n + 1} of ${count}; the zone may be too small`);
    placed.push(best);
  }
  return placed;
}

/**
 * Places built-up areas and village centres.
 *
 * @example const s = buildSettlements(zones, villages, 295562, 20240601);
 */
export function buildSettlements(zones: Township[], villages: Division[], urbanTotal: number, seed: number): Settlements {
  const rng = createRng(seed, 'settlements');
  const core = makeBuiltUp(-1, 450, -100, 2400, CORE_URBAN, seed + 31);
  // town seats: urban residents grow faster than linearly with town size
  const towns = zones.map((z, i) => ({ z, i })).filter(({ z }) => !z.urban);
  const weight = towns.map(({ z }) => (z.type === '乡' ? 0.12 : Math.pow(0.2 + z.size, 1.5)) * rng.range(0.75, 1.3));
  const wsum = weight.reduce((a, b) => a + b, 0);
  const seats: BuiltUp[] = zones.map(() => core);
  towns.forEach(({ z, i }, k) => {
    const target = ((urbanTotal - CORE_URBAN) * weight[k]) / wsum;
    // about 6,500 residents per km² of town seat
    const radius = Math.max(170, Math.sqrt(target / 6500 / Math.PI) * 1000);
    seats[i] = makeBuiltUp(i, z.seat[0], z.seat[1], radius, target, seed + 100 + i);
  });

  const sites: VillageSite[] = [];
  zones.forEach((z, ti) => {
    const mine = villages.filter((v) => v.code.startsWith(z.code));
    const comms = mine.filter((v) => v.name.includes('社区'));
    const vills = mine.filter((v) => !v.name.includes('社区'));
    const [x0, y0, x1, y1] = bboxOfMulti(z.polys);
    const bu = seats[ti];
    const inZone = (x: number, y: number) => pointInMulti(x, y, z.polys);
    const proposeVillage = (): [number, number] | null => {
      const x = rng.range(x0, x1), y = rng.range(y0, y1);
      if (!inZone(x, y)) return null;
      if (z.urban ? core.relDistance(x, y) < 1.12 : Math.hypot(x - bu.cx, y - bu.cy) < bu.radius + 450) return null;
      if (distanceToBoundary(x, y, z.polys) < 300) return null;
      return [x, y];
    };
    const proposeCommunity = (): [number, number] | null => {
      if (z.urban) {
        const x = rng.range(x0, x1), y = rng.range(y0, y1);
        if (!inZone(x, y) || core.relDistance(x, y) > 0.85 || distanceToBoundary(x, y, z.polys) < 120) return null;
        return [x, y];
      }
      const a = rng.range(0, 2 * Math.PI), r = bu.radius * Math.sqrt(rng.next()) * 0.8;
      const x = bu.cx + r * Math.cos(a), y = bu.cy + r * Math.sin(a);
      return inZone(x, y) ? [x, y] : null;
    };
    const cpos = bestCandidate(rng, comms.length, [], proposeCommunity);
    const vpos = bestCandidate(rng, vills.length, [[bu.cx, bu.cy]], proposeVillage);
    comms.forEach((v, k) => sites.push({ code: v.code, name: shortVillageName(v.name), kind: 'community', township: ti, x: cpos[k][0], y: cpos[k][1] }));
    vills.forEach((v, k) => sites.push({ code: v.code, name: shortVillageName(v.name), kind: 'village', township: ti, x: vpos[k][0], y: vpos[k][1] }));
  });
  sites.sort((a, b) => a.code.localeCompare(b.code));
  return { core, seats, villages: sites };
}
