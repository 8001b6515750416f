/**
 * Seeded randomness for the Yuechi generator: sfc32 streams and a smooth value-noise field.
 * Nothing here reads the clock or Math.random, so a seed always gives the same county.
 */

/** A random stream; every draw comes from one sfc32 state. */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [a, b) */
  range(a: number, b: number): number;
  /** integer in [a, b] */
  int(a: number, b: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  /** standard normal (Box–Muller) */
  normal(): number;
  pick<T>(items: readonly T[]): T;
  /** Fisher–Yates on a copy */
  shuffle<T>(items: readonly T[]): T[];
}

function hashString(s: string): number {
  // FNV-1a, so a stream name gives a well-spread 32-bit seed
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * An sfc32 stream named `name` under `seed`; separate names give independent streams, so adding draws to
 * one layer does not reshuffle the others.
 *
 * @example const rng = createRng(20240601, 'townships'); rng.range(0, 1);
 */
export function createRng(seed: number, name: string): Rng {
  let a = seed >>> 0, b = hashString(name), c = hashString(`${name}#${seed}`), d = 1;
  const raw = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // warm up: the first outputs of sfc32 from a weak seed are correlated
  for (let i = 0; i < 15; i++) raw();
  const rng: Rng = {
    next: raw,
    range: (lo, hi) => lo + (hi - lo) * raw(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * raw()),
    chance: (p) => raw() < p,
    normal: () => {
      const u = 1 - raw(), v = raw();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('rng.pick: expected a non-empty list, found an empty one');
      return items[Math.floor(raw() * items.length)];
    },
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(raw() * (i + 1));
        const tmp = out[i]; out[i] = out[j]; out[j] = tmp;
      }
      return out;
    },
  };
  return rng;
}

function lattice(seed: number, ix: number, iy: number): number {
  let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ Math.imul(seed, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Smooth value noise in [0, 1) with `octaves` octaves, the first of wavelength `wavelength` (same units as
 * x and y). Used for hills, settlement density and border wiggle.
 *
 * @example const hills = createNoise(7, 4000, 3); hills(1200, -350);
 */
export function createNoise(seed: number, wavelength: number, octaves = 3): (x: number, y: number) => number {
  return (x, y) => {
    let sum = 0, norm = 0, amp = 1, f = 1 / wavelength;
    for (let o = 0; o < octaves; o++) {
      const fx = x * f + o * 17.31, fy = y * f - o * 9.73;
      const ix = Math.floor(fx), iy = Math.floor(fy);
      const tx = fx - ix, ty = fy - iy;
      const sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
      const s = seed + o * 1013;
      const v00 = lattice(s, ix, iy), v10 = lattice(s, ix + 1, iy);
      const v01 = lattice(s, ix, iy + 1), v11 = lattice(s, ix + 1, iy + 1);
      const v = (v00 + (v10 - v00) * sx) * (1 - sy) + (v01 + (v11 - v01) * sx) * sy;
      sum += v * amp;
      norm += amp;
      amp *= 0.5;
      f *= 2;
    }
    return sum / norm;
  };
}

/**
 * Rounds non-negative `values` to integers whose sum is exactly `total` (largest remainder), never above
 * `cap[i]` when a cap is given. Ties go to the lower index, so the result is deterministic.
 *
 * @example largestRemainder(Float64Array.of(1.5, 1.5, 1), 4) // → [2, 1, 1]
 */
export function largestRemainder(values: Float64Array, total: number, cap?: Int32Array): Int32Array {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  if (!(sum > 0)) throw new Error(`largestRemainder: expected positive weights, found sum ${sum}`);
  const k = total / sum;
  const out = new Int32Array(n);
  const rem = new Float64Array(n);
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] * k;
    let f = Math.floor(v);
    if (cap && f > cap[i]) f = cap[i];
    out[i] = f;
    rem[i] = cap && f >= cap[i] ? -1 : v - f;
    assigned += f;
  }
  let left = total - assigned;
  if (left < 0) throw new Error(`largestRemainder: floors already exceed the total ${total}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rem[b] - rem[a] || a - b);
  // a second sweep only happens when caps bind; the order stays the same
  while (left > 0) {
    let placed = 0;
    for (const i of order) {
      if (left === 0) break;
      if (cap && out[i] >= cap[i]) continue;
      out[i]++;
      left--;
      placed++;
    }
    if (placed === 0) throw new Error(`largestRemainder: caps leave ${left} of ${total} unplaced`);
  }
  return out;
}
