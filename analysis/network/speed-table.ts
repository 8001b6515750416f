/** Travel modes on the road network. */
export type Mode = 'walk' | 'elderly-walk' | 'bike' | 'car';
export const MODES: readonly Mode[] = ['walk', 'elderly-walk', 'bike', 'car'];

/**
 * Speeds in km/h by OSM `highway` class, per mode; a class absent from a mode's table is closed to it.
 * Defaults follow docs/standards.md: walking 4–4.5 km/h, cycling 15 km/h, and the road-class
 * convention 高速 100–120, 国道 80, 省道 60, 县道 40, 乡道 30, 村道 20 km/h. Edit it with a JSON file
 * (`--speeds`), which is merged over these defaults.
 */
export interface SpeedTable {
  modes: Record<Mode, Record<string, number>>;
  /**
   * walking speed of the off-network leg from a point to the road it joins, per mode, km/h: the mode's own
   * walking pace (elderly 3.0 for elderly-walk); bike and car trips start on foot at the adult pace
   */
  offRoadKmh: Record<Mode, number>;
  /** multiplier on car speeds of low classes (tertiary and below) for hilly terrain (丘陵); 1 = none */
  hillyFactor: number;
  /** where each value comes from; shown in reports */
  notes: Record<string, string>;
}

const WALK_CLASSES = [
  'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link',
  'unclassified', 'residential', 'living_street', 'service', 'track', 'road', 'pedestrian', 'footway', 'path',
  'steps', 'cycleway', 'bridleway', 'corridor',
];

function uniform(classes: string[], kmh: number): Record<string, number> {
  return Object.fromEntries(classes.map((c) => [c, kmh]));
}

/** Classes counted as "low" for the hilly discount. */
export const LOW_CLASSES = new Set(['tertiary', 'tertiary_link', 'unclassified', 'residential', 'living_street', 'service', 'track', 'road']);

export function defaultSpeedTable(): SpeedTable {
  return {
    modes: {
      walk: uniform(WALK_CLASSES, 4.5),
      'elderly-walk': uniform(WALK_CLASSES, 3.0),
      bike: {
        ...uniform(WALK_CLASSES.filter((c) => c !== 'steps' && c !== 'corridor'), 15),
        footway: 8,
        pedestrian: 8,
        path: 10,
      },
      car: {
        motorway: 100, motorway_link: 60,
        trunk: 80, trunk_link: 50,
        primary: 60, primary_link: 40,
        secondary: 40, secondary_link: 30,
        tertiary: 30, tertiary_link: 25,
        unclassified: 20, residential: 20, road: 20, track: 15,
        living_street: 10, service: 15,
      },
    },
    offRoadKmh: { walk: 4.5, 'elderly-walk': 3.0, bike: 4.5, car: 4.5 },
    hillyFactor: 1,
    notes: {
      walk: 'docs/standards.md: walking 4–4.5 km/h (60–75 m/min); 4.5 taken',
      'elderly-walk': 'assumed: elderly walking 2.8–3.6 km/h (docs/standards.md); 3.0 taken',
      bike: 'docs/standards.md: cycling 15 km/h; shared footways 8 km/h assumed',
      car: 'docs/standards.md road-class convention: motorway≈高速 100, trunk≈国道 80, primary≈省道 60, secondary≈县道 40, tertiary≈乡道 30, unclassified/residential/track≈村道 20 (track 15 assumed)',
      offRoadKmh: 'the walk from a point to the road it joins: at the mode\'s walking pace (walk 4.5, elderly-walk 3.0 km/h); bike and car trips start on foot at 4.5 km/h, assumed',
      hillyFactor: 'discount on low classes for hilly terrain; 1 = none (Yuechi 丘陵 may take 0.8, assumed)',
    },
  };
}

/**
 * Merges a user's table over the defaults, checking every value, so a typo in a speeds file is an error, not a
 * silently closed road class.
 *
 * @example mergeSpeedTable(defaultSpeedTable(), { modes: { car: { trunk: 70 } }, hillyFactor: 0.8 })
 */
export function mergeSpeedTable(base: SpeedTable, override: unknown, source = 'speeds'): SpeedTable {
  if (override === null || typeof override !== 'object' || Array.isArray(override)) {
    throw new Error(`${source}: expected a JSON object like {"modes": {"car": {"trunk": 70}}}, found ${JSON.stringify(override)}`);
  }
  const o = override as Record<string, unknown>;
  const out: SpeedTable = structuredClone(base);
  for (const key of Object.keys(o)) {
    if (!['modes', 'offRoadKmh', 'snapWalkKmh', 'hillyFactor', 'notes'].includes(key)) {
      throw new Error(`${source}: unknown key "${key}", expected modes, offRoadKmh, snapWalkKmh, hillyFactor or notes`);
    }
  }
  if (o.modes !== undefined) {
    if (typeof o.modes !== 'object' || o.modes === null) throw new Error(`${source}: "modes" must be an object of mode → {class: km/h}`);
    for (const [mode, table] of Object.entries(o.modes as Record<string, unknown>)) {
      if (!(MODES as readonly string[]).includes(mode)) {
        throw new Error(`${source}: unknown mode "${mode}", expected one of ${MODES.join(', ')}`);
      }
      if (typeof table !== 'object' || table === null) throw new Error(`${source}: modes.${mode} must be an object of class → km/h`);
      for (const [cls, kmh] of Object.entries(table as Record<string, unknown>)) {
        if (kmh === null || kmh === 0) {
          delete out.modes[mode as Mode][cls];
          continue;
        }
        if (typeof kmh !== 'number' || !(kmh > 0) || kmh > 200) {
          throw new Error(`${source}: modes.${mode}.${cls} must be a speed in km/h between 0 and 200 (0 or null closes the class), found ${JSON.stringify(kmh)}`);
        }
        out.modes[mode as Mode][cls] = kmh;
      }
    }
  }
  const speed = (key: string, v: unknown): number => {
    if (typeof v !== 'number' || !(v > 0) || v > 200) throw new Error(`${source}: ${key} must be a positive number, found ${JSON.stringify(v)}`);
    return v;
  };
  // snapWalkKmh (older files): the adult walking pace of the off-road leg, for every mode but elderly-walk
  if (o.snapWalkKmh !== undefined) {
    const v = speed('snapWalkKmh', o.snapWalkKmh);
    out.offRoadKmh.walk = out.offRoadKmh.bike = out.offRoadKmh.car = v;
  }
  if (o.offRoadKmh !== undefined) {
    if (typeof o.offRoadKmh !== 'object' || o.offRoadKmh === null || Array.isArray(o.offRoadKmh)) throw new Error(`${source}: "offRoadKmh" must be an object of mode → km/h, e.g. {"elderly-walk": 2.8}`);
    for (const [mode, kmh] of Object.entries(o.offRoadKmh as Record<string, unknown>)) {
      if (!(MODES as readonly string[]).includes(mode)) throw new Error(`${source}: offRoadKmh: unknown mode "${mode}", expected one of ${MODES.join(', ')}`);
      out.offRoadKmh[mode as Mode] = speed(`offRoadKmh.${mode}`, kmh);
    }
  }
  if (o.hillyFactor !== undefined) out.hillyFactor = speed('hillyFactor', o.hillyFactor);
  if (o.notes !== undefined) Object.assign(out.notes, o.notes);
  return out;
}

/** Speed in km/h for a class and mode after the hilly discount; 0 where the class is closed. */
export function classSpeed(table: SpeedTable, mode: Mode, highway: string): number {
  const kmh = table.modes[mode][highway];
  if (!kmh) return 0;
  return mode === 'car' && LOW_CLASSES.has(highway) ? kmh * table.hillyFactor : kmh;
}

/**
 * Cost per metre of a straight walk for a mode: seconds at its off-road pace (straight-line time walks at the
 * adult pace), or 1 for distances.
 *
 * @example walkCostPerMeter(defaultSpeedTable(), 'elderly-walk', 'time') // 1.2 (3.0 km/h)
 */
export function walkCostPerMeter(table: SpeedTable, mode: Mode | 'straight', costKind: 'time' | 'distance'): number {
  return costKind === 'time' ? 3.6 / table.offRoadKmh[mode === 'straight' ? 'walk' : mode] : 1;
}
