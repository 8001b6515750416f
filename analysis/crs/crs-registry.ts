import { foundValue } from '../errors/found-value.ts';

// CGCS2000 and WGS84 share their ellipsoid to 0.1 mm and their frames to well under a metre (docs/standards.md),
// so for this analysis a CGCS2000 coordinate is used as a WGS84 one, without a datum shift.

/** How a CRS relates to WGS84: angles, Gauss-Krüger metres, or an obfuscated lon/lat (GCJ-02, BD-09). */
export type CrsKind = 'geographic' | 'projected' | 'offset';

/** Which value comes first in a position: 'lonlat' (x, easting) or 'latlon' (y, northing). */
export type AxisOrder = 'lonlat' | 'latlon';

/** A named coordinate reference system the service reads and writes. */
export interface CrsInfo {
  /** canonical name: 'EPSG:4544', 'GCJ-02', 'BD-09' */
  readonly name: string;
  /** EPSG (OGC WKT1) name, e.g. 'CGCS2000 / 3-degree Gauss-Kruger CM 105E' */
  readonly title: string;
  readonly kind: CrsKind;
  readonly epsg?: number;
  /** proj4 definition; absent for GCJ-02 and BD-09, which gcoord handles */
  readonly proj4?: string;
  /** the axis order the EPSG definition declares: 'latlon' for 4326, 4490 and the Gauss-Krüger zones (X is northing) */
  readonly epsgAxisOrder: AxisOrder;
  /** Gauss-Krüger parameters */
  readonly centralMeridian?: number;
  readonly zoneWidth?: 3 | 6;
  readonly zone?: number;
  /** true when the zone number is written in front of the easting (35 500 000 rather than 500 000) */
  readonly zonePrefix?: boolean;
  readonly falseEasting?: number;
  /** lon/lat box where the CRS is meant to be used (for Gauss-Krüger: the zone strip over China) */
  readonly area: readonly [number, number, number, number];
}

/** A warning in both languages, as shown to planners. */
export interface CrsWarning {
  readonly code: string;
  readonly en: string;
  readonly zh: string;
}

/** Which Gauss-Krüger zone to use for an area, and whether the area runs past the zone's edge. */
export interface GkZoneChoice {
  readonly crs: CrsInfo;
  readonly warning?: CrsWarning;
}

const CHINA_LAT: readonly [number, number] = [3, 54];
const GRS80 = '+ellps=GRS80';

const ESRI_GEOGCS = {
  cgcs2000:
    'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  wgs84:
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
};

// EPSG numbering (checked against gdalsrsinfo in tests/crs.test.ts): each block runs west to east from CM 75°E
const GK_BLOCKS = [
  { first: 4491, width: 6, prefix: true, count: 11, firstZone: 13 },
  { first: 4502, width: 6, prefix: false, count: 11, firstZone: 13 },
  { first: 4513, width: 3, prefix: true, count: 21, firstZone: 25 },
  { first: 4534, width: 3, prefix: false, count: 21, firstZone: 25 },
] as const;

function gkCrs(epsg: number, width: 3 | 6, prefix: boolean, zone: number): CrsInfo {
  const cm = width === 6 ? 6 * zone - 3 : 3 * zone;
  const falseEasting = prefix ? zone * 1_000_000 + 500_000 : 500_000;
  const degree = width === 3 ? '3-degree ' : '';
  return {
    name: `EPSG:${epsg}`,
    title: `CGCS2000 / ${degree}Gauss-Kruger ${prefix ? `zone ${zone}` : `CM ${cm}E`}`,
    kind: 'projected',
    epsg,
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=${falseEasting} +y_0=0 ${GRS80} +units=m +no_defs`,
    epsgAxisOrder: 'latlon',
    centralMeridian: cm,
    zoneWidth: width,
    zone,
    zonePrefix: prefix,
    falseEasting,
    area: [cm - width / 2, CHINA_LAT[0], cm + width / 2, CHINA_LAT[1]],
  };
}

function buildRegistry(): Map<string, CrsInfo> {
  const all: CrsInfo[] = [
    {
      name: 'EPSG:4326',
      title: 'WGS 84',
      kind: 'geographic',
      epsg: 4326,
      proj4: '+proj=longlat +datum=WGS84 +no_defs',
      epsgAxisOrder: 'latlon',
      area: [-180, -90, 180, 90],
    },
    {
      name: 'EPSG:4490',
      title: 'China Geodetic Coordinate System 2000',
      kind: 'geographic',
      epsg: 4490,
      proj4: `+proj=longlat ${GRS80} +no_defs`,
      epsgAxisOrder: 'latlon',
      area: [73.62, 16.7, 134.77, 53.56],
    },
  ];
  for (const b of GK_BLOCKS) {
    for (let i = 0; i < b.count; i++) all.push(gkCrs(b.first + i, b.width, b.prefix, b.firstZone + i));
  }
  all.push(
    { name: 'GCJ-02', title: 'GCJ-02 (AMap, Tencent)', kind: 'offset', epsgAxisOrder: 'lonlat', area: [72.004, 0.8293, 137.8347, 55.8271] },
    { name: 'BD-09', title: 'BD-09 (Baidu)', kind: 'offset', epsgAxisOrder: 'lonlat', area: [72.004, 0.8293, 137.8347, 55.8271] },
  );
  return new Map(all.map((c) => [c.name, c]));
}

const REGISTRY = buildRegistry();

const ALIASES: Record<string, string> = {
  WGS84: 'EPSG:4326',
  'WGS 84': 'EPSG:4326',
  'WGS-84': 'EPSG:4326',
  CRS84: 'EPSG:4326',
  CGCS2000: 'EPSG:4490',
  GCJ02: 'GCJ-02',
  AMAP: 'GCJ-02',
  BD09: 'BD-09',
  BD09LL: 'BD-09',
  BAIDU: 'BD-09',
};

/**
 * The CRS called `name`: 'EPSG:4544', '4544', 'urn:ogc:def:crs:EPSG::4544', 'WGS84', 'CGCS2000', 'GCJ-02', 'BD-09'.
 *
 * @example getCrs('EPSG:4544').centralMeridian // 105
 */
export function getCrs(name: string): CrsInfo {
  if (typeof name !== 'string') throw new Error(`CRS name must be a string such as 'EPSG:4544', found ${foundValue(name)}`);
  const trimmed = name.trim();
  const upper = trimmed.toUpperCase();
  const canonical =
    ALIASES[upper] ??
    (/^(?:URN:OGC:DEF:CRS:OGC:1\.3:)?CRS84$/.test(upper) ? 'EPSG:4326' : undefined) ??
    epsgName(upper) ??
    upper;
  const crs = REGISTRY.get(canonical);
  if (!crs) {
    throw new Error(
      `unknown CRS ${foundValue(name)}: expected EPSG:4326 (WGS84), EPSG:4490 (CGCS2000), a CGCS2000 Gauss-Krüger zone ` +
        'EPSG:4491–4554 (3-degree CM 75–135°E without zone prefix: EPSG:4534–4554), GCJ-02 or BD-09',
    );
  }
  return crs;
}

function epsgName(upper: string): string | undefined {
  const m = /^(?:EPSG:+|URN:OGC:DEF:CRS:EPSG:[\d.]*:|HTTPS?:\/\/WWW\.OPENGIS\.NET\/DEF\/CRS\/EPSG\/0\/)?(\d{4,5})$/.exec(upper);
  return m ? `EPSG:${m[1]}` : undefined;
}

/**
 * Every CRS the service knows, geographic first, then the Gauss-Krüger zones by EPSG code, then GCJ-02 and BD-09.
 *
 * @example listCrs().filter((c) => c.kind === 'projected').length // 64
 */
export function listCrs(): CrsInfo[] {
  return [...REGISTRY.values()];
}

/**
 * The 3-degree CGCS2000 Gauss-Krüger zone (no zone prefix) whose central meridian is nearest `lon`;
 * a zone covers [CM − 1.5°, CM + 1.5°), so 106.5°E falls in CM 108°E.
 *
 * @example gkZoneFor(106.4).name // 'EPSG:4544' (CM 105°E, 103.5–106.5°E)
 */
export function gkZoneFor(lon: number): CrsInfo {
  if (!Number.isFinite(lon) || lon < 73.5 || lon >= 136.5) {
    throw new Error(`longitude for a CGCS2000 3-degree Gauss-Krüger zone must be in [73.5, 136.5) °E, found ${foundValue(lon)}`);
  }
  const cm = 3 * Math.floor(lon / 3 + 0.5);
  return REGISTRY.get(`EPSG:${4534 + (cm - 75) / 3}`)!;
}

/**
 * The 3-degree Gauss-Krüger zone for a lon/lat box [west, south, east, north]: the zone of its centre, with a
 * warning when the box runs past that zone's edge (Yuechi, 106.1–106.7°E, crosses 106.5°E). Coordinates past
 * the edge stay exact; only the scale error grows, and a bureau's own data may be in the neighbouring zone.
 *
 * @example chooseGkZone([106.1, 30.3, 106.7, 30.8]).crs.name // 'EPSG:4544', with warning code 'gk-zone-edge'
 */
export function chooseGkZone(
  bbox: readonly [number, number, number, number],
  options: { zonePrefix?: boolean } = {},
): GkZoneChoice {
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(Number.isFinite) || bbox[0] > bbox[2] || bbox[1] > bbox[3]) {
    throw new Error(`bbox must be [west, south, east, north] in degrees with west <= east, found ${foundValue(bbox)}`);
  }
  const [w, s, e, n] = bbox;
  const base = gkZoneFor((w + e) / 2);
  const crs = options.zonePrefix ? REGISTRY.get(`EPSG:${base.epsg! - 21}`)! : base;
  const cm = base.centralMeridian!;
  const [west, east] = [cm - 1.5, cm + 1.5];
  if (w >= west && e < east) return { crs };
  const beyond = Math.max(west - w, e - east);
  // scale factor of a transverse Mercator at Δλ from the CM: k ≈ 1 + (Δλ·cosφ)²/2
  const farLat = Math.min(Math.abs(s), Math.abs(n)) * (Math.PI / 180);
  const dLon = Math.max(cm - w, e - cm) * (Math.PI / 180);
  const ppm = Math.round(((dLon * Math.cos(farLat)) ** 2 / 2) * 1e6);
  const edge = e >= east ? east : west;
  const neighbour = gkZoneFor(e >= east ? east : west - 0.001);
  const pick = options.zonePrefix ? `EPSG:${neighbour.epsg! - 21}` : neighbour.name;
  return {
    crs,
    warning: {
      code: 'gk-zone-edge',
      en:
        `the area (${fmt(w)}–${fmt(e)}°E) runs ${fmt(beyond)}° past the ${fmt(edge)}°E edge of ${crs.name} (CM ${cm}°E, ` +
        `${west}–${east}°E); coordinates there are still exact, with a scale error up to ${ppm} ppm, but local data ` +
        `may use ${pick} (CM ${neighbour.centralMeridian}°E): check the bureau's .prj`,
      zh:
        `范围(${fmt(w)}–${fmt(e)}°E)超出 ${crs.name}(中央经线 ${cm}°E,${west}–${east}°E)的 ${fmt(edge)}°E 带边 ${fmt(beyond)}°;` +
        `坐标仍然精确,长度变形最大约 ${ppm} ppm,但当地资料可能使用 ${pick}(中央经线 ${neighbour.centralMeridian}°E),请核对 .prj 文件`,
    },
  };
}

function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/**
 * The ESRI WKT1 text for a .prj file, the form ArcGIS writes and GDAL and QGIS read
 * (same text as `gdalsrsinfo --single-line -o wkt_esri EPSG:xxxx`).
 *
 * @example prjWkt('EPSG:4544').startsWith('PROJCS["CGCS2000_3_Degree_GK_CM_105E"') // true
 */
export function prjWkt(name: string): string {
  const crs = getCrs(name);
  if (crs.kind === 'offset') {
    throw new Error(`CRS for a .prj must be EPSG:4326, EPSG:4490 or a Gauss-Krüger zone, found '${crs.name}' (it has no WKT; export in WGS84 instead)`);
  }
  if (crs.epsg === 4326) return ESRI_GEOGCS.wgs84;
  if (crs.epsg === 4490) return ESRI_GEOGCS.cgcs2000;
  const esriName = `CGCS2000_${crs.zoneWidth === 3 ? '3_Degree_' : ''}GK_${crs.zonePrefix ? `Zone_${crs.zone}` : `CM_${crs.centralMeridian}E`}`;
  return (
    `PROJCS["${esriName}",${ESRI_GEOGCS.cgcs2000},PROJECTION["Gauss_Kruger"],` +
    `PARAMETER["False_Easting",${crs.falseEasting!.toFixed(1)}],PARAMETER["False_Northing",0.0],` +
    `PARAMETER["Central_Meridian",${crs.centralMeridian!.toFixed(1)}],PARAMETER["Scale_Factor",1.0],` +
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
  );
}
