/**
 * Streets of the county seat and the town seats: a jittered, slightly rotated grid clipped to each built-up
 * area, with main roads every fourth line, a one-way couplet and living streets in the old town, service
 * lanes and footpaths inside blocks, and short links from grid ends out to the nearest village road node.
 */
import { createRng, type Rng } from './random.ts';
import { pointInMulti } from './frame.ts';
import type { RoadLine } from './roads.ts';
import type { RoadGraph } from './road-graph.ts';
import type { BuiltUp, Settlements } from './settlements.ts';
import type { Township } from './townships.ts';

const STEMS = [
  '人民', '建设', '解放', '和平', '文化', '新华', '胜利', '长安', '滨河', '环城', '公园', '健康', '民主', '育才', '幸福',
  '翠湖', '东湖', '西城', '南门', '北门', '学府', '汇丰', '顺城', '龙泉', '凤凰', '锦绣', '金城', '银河', '双桥', '白塔',
  '万兴', '园田', '城东', '城西', '城南', '城北', '岳安', '兴岳', '紫金', '玉带', '望江', '青龙', '白鹤', '桂花', '槐树',
  '状元', '书院', '广场', '体育', '工业', '商贸', '物流', '纺织', '农机', '田园', '天池', '安居', '康宁', '怡和', '文星',
  '迎宾', '花溪', '锦屏', '南华', '东升', '西湖', '映月', '清溪', '柏林', '杏林', '金沙', '富民', '兴隆', '永安', '太平',
];

interface GridSpec {
  cx: number;
  cy: number;
  angle: number;
  sx: number;
  sy: number;
  jitter: number;
  reach: number;
  inside: (x: number, y: number) => boolean;
  /** highway of the grid segment from node (i,j) along a column (vertical) or a row */
  classOf: (i: number, j: number, vertical: boolean) => string;
  nameOf: (index: number, vertical: boolean, highway: string) => string | undefined;
  onewayOf?: (index: number, vertical: boolean) => 0 | 1 | -1;
  lanes: number;
  footways: number;
}

interface GridOut {
  lines: RoadLine[];
  /** grid nodes at the edge of the built-up area, where links to the countryside may start */
  ends: [number, number][];
}

function grid(spec: GridSpec, rng: Rng): GridOut {
  const n = Math.ceil(spec.reach / Math.min(spec.sx, spec.sy)) + 1;
  const size = 2 * n + 1;
  const px = new Float64Array(size * size), py = new Float64Array(size * size), ok = new Uint8Array(size * size);
  const ca = Math.cos(spec.angle), sa = Math.sin(spec.angle);
  for (let j = -n; j <= n; j++) for (let i = -n; i <= n; i++) {
    const k = (j + n) * size + (i + n);
    const u = i * spec.sx + rng.range(-spec.jitter, spec.jitter), v = j * spec.sy + rng.range(-spec.jitter, spec.jitter);
    px[k] = spec.cx + u * ca - v * sa;
    py[k] = spec.cy + u * sa + v * ca;
    ok[k] = spec.inside(px[k], py[k]) ? 1 : 0;
  }
  const at = (i: number, j: number) => (j + n) * size + (i + n);
  const lines: RoadLine[] = [];
  const ends: [number, number][] = [];
  for (const vertical of [true, false]) {
    for (let a = -n; a <= n; a++) {
      let run: number[] = [];
      const flush = () => {
        if (run.length >= 2) {
          ends.push([px[run[0]], py[run[0]]], [px[run[run.length - 1]], py[run[run.length - 1]]]);
          // split the run where the class changes, so one street can be partly a living street
          let start = 0;
          for (let s = 1; s <= run.length - 1; s++) {
            const cls = (idx: number) => { const k = run[idx]; const i = vertical ? a : (k % size) - n; const j = vertical ? Math.floor(k / size) - n : a; return spec.classOf(i, j, vertical); };
            if (s === run.length - 1 || cls(s) !== cls(start)) {
              const piece = run.slice(start, s + 1);
              const highway = cls(start);
              const coords = piece.flatMap((k) => [px[k], py[k]]);
              const dir = spec.onewayOf?.(a, vertical) ?? 0;
              const line: RoadLine = { coords: dir === -1 ? reverse(coords) : coords, highway, name: spec.nameOf(a, vertical, highway) };
              if (dir !== 0 && highway === 'residential') line.oneway = true;
              lines.push(line);
              start = s;
            }
          }
        }
        run = [];
      };
      for (let b = -n; b <= n; b++) {
        const k = vertical ? at(a, b) : at(b, a);
        if (ok[k]) run.push(k); else flush();
      }
      flush();
    }
  }
  // service lanes into blocks and footpaths across them
  for (let j = -n; j < n; j++) for (let i = -n; i < n; i++) {
    const c = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
    if (!c.every((k) => ok[k])) continue;
    const [p0, p1, , p3] = c;
    if (rng.chance(spec.lanes)) {
      const mx = (px[p0] + px[p1]) / 2, my = (py[p0] + py[p1]) / 2;
      const ux = (px[p3] - px[p0]) * 0.42, uy = (py[p3] - py[p0]) * 0.42;
      lines.push({ coords: [mx, my, mx + ux, my + uy], highway: 'service' });
    } else if (rng.chance(spec.footways)) {
      const p2 = c[2];
      const ax = (px[p0] + px[p3]) / 2, ay = (py[p0] + py[p3]) / 2, bx = (px[p1] + px[p2]) / 2, by = (py[p1] + py[p2]) / 2;
      lines.push({ coords: [ax, ay, (ax + bx) / 2 + rng.range(-8, 8), (ay + by) / 2 + rng.range(-8, 8), bx, by], highway: 'footway' });
    }
  }
  return { lines, ends };
}

function reverse(coords: number[]): number[] {
  const out: number[] = [];
  for (let k = coords.length - 2; k >= 0; k -= 2) out.push(coords[k], coords[k + 1]);
  return out;
}

/** Links from grid ends to the nearest rural node outside the built-up area, so towns open onto the countryside. */
function links(ends: [number, number][], g: RoadGraph, bu: BuiltUp, share: number, rng: Rng): RoadLine[] {
  const out: RoadLine[] = [];
  for (const [x, y] of ends) {
    if (!rng.chance(share)) continue;
    let best = -1, bd = 520;
    for (let v = 0; v < g.x.length; v++) {
      if (g.kind[v] === 'exit' || g.kind[v] === 'seat') continue;
      const d = Math.hypot(g.x[v] - x, g.y[v] - y);
      if (d < bd && bu.relDistance(g.x[v], g.y[v]) > 1) { bd = d; best = v; }
    }
    if (best >= 0 && bd > 30) out.push({ coords: [x, y, g.x[best], g.y[best]], highway: 'unclassified' });
  }
  return out;
}

/**
 * All urban streets, unnoded.
 *
 * @example const streets = buildUrbanStreets(zones, settlements, graph, 20240601);
 */
export function buildUrbanStreets(zones: Township[], s: Settlements, g: RoadGraph, seed: number): RoadLine[] {
  const rng = createRng(seed, 'urban-streets');
  const stems = rng.shuffle(STEMS);
  let stem = 0;
  const nextStem = () => stems[stem++ % stems.length];
  const streets = zones.filter((z) => z.urban);
  const coreNames = new Map<string, string>();
  const core = grid({
    cx: s.core.cx, cy: s.core.cy, angle: 0.21, sx: 210, sy: 185, jitter: 22, reach: s.core.radius * 1.35,
    inside: (x, y) => s.core.relDistance(x, y) < 0.98 && streets.some((z) => pointInMulti(x, y, z.polys)),
    classOf: (i, j, vertical) => {
      const a = vertical ? i : j;
      if (a === 0) return 'secondary';
      if (a % 4 === 0) return 'tertiary';
      // the old town's lanes around the centre
      if (!vertical && (j === 2 || j === 3) && Math.abs(i) <= 2) return 'living_street';
      return 'residential';
    },
    nameOf: (a, vertical, highway) => {
      const key = `${vertical ? 'v' : 'h'}${a}${highway === 'living_street' ? 'L' : ''}`;
      if (!coreNames.has(key)) {
        const suffix = a === 0 ? '大道' : highway === 'tertiary' ? '路' : highway === 'living_street' ? '巷' : vertical ? '街' : '路';
        coreNames.set(key, a === 0 ? (vertical ? '九龙大道' : '朝阳大道') : `${nextStem()}${suffix}`);
      }
      return coreNames.get(key);
    },
    // a one-way couplet either side of the central avenue, and one one-way cross street
    onewayOf: (a, vertical) => (vertical && a === 1 ? 1 : vertical && a === -1 ? -1 : !vertical && a === 1 ? 1 : 0),
    lanes: 0.32, footways: 0.12,
  }, rng);
  const out: RoadLine[] = [...core.lines, ...links(core.ends, g, s.core, 0.45, rng)];
  zones.forEach((z, ti) => {
    if (z.urban) return;
    const bu = s.seats[ti];
    const short = z.name.replace(/[镇乡]$/, '');
    const names = new Map<string, string>();
    const town = grid({
      cx: bu.cx, cy: bu.cy, angle: rng.range(-0.6, 0.6), sx: 150, sy: 140, jitter: 15, reach: bu.radius * 1.35,
      inside: (x, y) => bu.relDistance(x, y) < 0.97 && pointInMulti(x, y, z.polys),
      classOf: (i, j, vertical) => ((vertical ? i : j) === 0 ? 'tertiary' : 'residential'),
      nameOf: (a, vertical) => {
        const key = `${vertical ? 'v' : 'h'}${a}`;
        if (!names.has(key)) names.set(key, a === 0 ? `${short}${vertical ? '正街' : '大街'}` : `${nextStem()}${vertical ? '街' : '巷'}`);
        return names.get(key);
      },
      lanes: 0.2, footways: 0.05,
    }, rng);
    out.push(...town.lines, ...links(town.ends, g, bu, 0.35, rng));
  });
  return out;
}
