// shpjs ships no types; the one call the import uses
declare module 'shpjs' {
  import type { FeatureCollection } from 'geojson';
  /** a zipped Shapefile (.shp/.dbf/.prj/.cpg) as GeoJSON, reprojected to WGS84 when a .prj is present; several layers give an array */
  export function parseZip(buffer: ArrayBuffer | Uint8Array, whiteList?: string[]): Promise<(FeatureCollection & { fileName?: string }) | (FeatureCollection & { fileName?: string })[]>;
}
