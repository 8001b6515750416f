import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import proj4 from 'proj4';
import type { PopulationRaster } from '../../analysis/grid/grid-from-raster.ts';
import { readFileBytes } from './read-file-bytes.ts';

const WEB_MERCATOR_CODES = new Set([3857, 900913, 3785, 102100, 102113]);
const MOLLWEIDE_CODES = new Set([54009, 53009]);
const USER_DEFINED = 32767;
const SUPPORTED = 'EPSG:4326 (WGS 84 lon/lat), EPSG:3857 (Web Mercator) or ESRI:54009 (Mollweide)';

type GeoKeys = Record<string, unknown>;

/**
 * Reads band 1 of a GeoTIFF population raster (WorldPop, GHS-POP) with its geotransform, nodata and a
 * lon/lat conversion for its CRS: EPSG:4326 as is, EPSG:3857 and Mollweide (ESRI:54009) through proj4.
 *
 * @example const raster = await readGeoTiffRaster('chn_ppp_2020_constrained.tif');
 */
export async function readGeoTiffRaster(path: string): Promise<PopulationRaster> {
  const bytes = await readFileBytes(path);
  let image: GeoTIFFImage;
  try {
    const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    image = await tiff.getImage(0);
  } catch (e) {
    throw new Error(`${path}: not a readable GeoTIFF (${(e as Error).message})`);
  }
  const width = image.getWidth(), height = image.getHeight();
  const directory = image.getFileDirectory();
  const scale = (await directory.loadValue('ModelPixelScale')) as ArrayLike<number> | undefined;
  const tiepoint = (await directory.loadValue('ModelTiepoint')) as ArrayLike<number> | undefined;
  const transform = (await directory.loadValue('ModelTransformation')) as ArrayLike<number> | undefined;
  let geoTransform: [number, number, number, number, number, number];
  if (transform && transform.length >= 16) {
    geoTransform = [transform[3], transform[0], transform[1], transform[7], transform[4], transform[5]];
  } else if (scale && tiepoint && tiepoint.length >= 6) {
    if (tiepoint.length > 6) throw new Error(`${path}: expected one tie point with a pixel scale, found ${tiepoint.length / 6} tie points (ground control points); warp the raster first`);
    // the tie point may name any raster position, not only the corner
    geoTransform = [tiepoint[3] - tiepoint[0] * scale[0], scale[0], 0, tiepoint[4] + tiepoint[1] * scale[1], 0, -scale[1]];
  } else {
    throw new Error(`${path}: expected georeferencing (ModelPixelScale with ModelTiepoint, or ModelTransformation), found none`);
  }
  const keys: GeoKeys | null = image.getGeoKeys();
  if (!keys) throw new Error(`${path}: expected GeoKeys naming the CRS (${SUPPORTED}), found none`);
  // GDAL's rule: with PixelIsPoint the tie point is a pixel centre, so the corner is half a pixel back
  if (keys.GTRasterTypeGeoKey === 2) {
    geoTransform[0] -= geoTransform[1] / 2;
    geoTransform[3] -= geoTransform[5] / 2;
  }
  const toLonLat = lonLatConverter(keys, path);
  const rawNoData = (await directory.loadValue('GDAL_NODATA')) as string | undefined;
  const noData = rawNoData === undefined ? null : Number(String(rawNoData).replace(/\0/g, '').trim());
  let data: ArrayLike<number>;
  try {
    data = (await image.readRasters({ samples: [0] }))[0] as ArrayLike<number>;
  } catch (e) {
    throw new Error(`${path}: cannot decode the raster data (${(e as Error).message})`);
  }
  return { width, height, data, geoTransform, noData: Number.isNaN(noData) ? null : noData, toLonLat, source: path };
}

/** undefined for lon/lat rasters, else raster CRS → lon/lat; any other CRS is an error naming its code. */
function lonLatConverter(keys: GeoKeys, path: string): ((x: number, y: number) => [number, number]) | undefined {
  const citation = ['GTCitationGeoKey', 'PCSCitationGeoKey', 'GeogCitationGeoKey'].map((k) => keys[k]).filter((v) => typeof v === 'string').join(' ');
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined;
  const geographic = keys.GeographicTypeGeoKey as number | undefined;
  const isProjected = keys.GTModelTypeGeoKey === 1 || (keys.GTModelTypeGeoKey === undefined && projected !== undefined);
  if (!isProjected) {
    if (keys.GTModelTypeGeoKey !== undefined && keys.GTModelTypeGeoKey !== 2) {
      throw new Error(`${path}: GeoTIFF model type is ${keys.GTModelTypeGeoKey}; expected a geographic or projected CRS: ${SUPPORTED}`);
    }
    const wgs84 = geographic === 4326 || ((geographic === undefined || geographic === USER_DEFINED) && (keys.GeogGeodeticDatumGeoKey === 6326 || /WGS[ _-]?(19)?84/i.test(citation)));
    if (!wgs84) throw new Error(`${path}: GeoTIFF CRS is EPSG:${geographic ?? 'unknown'}${citation ? ` ('${citation}')` : ''}; expected ${SUPPORTED}`);
    return undefined;
  }
  let definition: string | undefined;
  if ((projected !== undefined && WEB_MERCATOR_CODES.has(projected)) || (projected === USER_DEFINED && /pseudo[ _-]?mercator|web[ _-]?mercator/i.test(citation))) {
    definition = 'EPSG:3857';
  } else if ((projected !== undefined && MOLLWEIDE_CODES.has(projected)) || ((projected === undefined || projected === USER_DEFINED) && /mollweide/i.test(citation))) {
    // a user-defined Mollweide may sit on another meridian; GDAL writes it in the keys or the ESRI citation
    const meridian = Number(keys.ProjCenterLongGeoKey ?? keys.ProjNatOriginLongGeoKey ?? /central_meridian"?\s*,\s*(-?[\d.]+)/i.exec(citation)?.[1] ?? 0);
    definition = `+proj=moll +lon_0=${Number.isFinite(meridian) ? meridian : 0} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs`;
  }
  if (!definition) throw new Error(`${path}: GeoTIFF CRS is EPSG:${projected ?? 'unknown'}${citation ? ` ('${citation}')` : ''}; expected ${SUPPORTED}`);
  const converter = proj4(definition, 'EPSG:4326');
  return (x, y) => {
    const p = converter.forward([x, y]);
    return [p[0], p[1]];
  };
}
