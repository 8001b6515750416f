/**
 * What is wrong with a lon/lat pair, or undefined; hints at swapped columns, the commonest mistake.
 * Column names are given for CSV (quoted values), absent for GeoJSON positions.
 *
 * @example coordinateProblem('30.5', '106.4', 'lon', 'lat') // "column 'lat' must be ...; lon and lat look swapped ..."
 */
export function coordinateProblem(rawLon: unknown, rawLat: unknown, lonName?: string, latName?: string): string | undefined {
  const lon = typeof rawLon === 'number' ? rawLon : typeof rawLon === 'string' && rawLon.trim() !== '' ? Number(rawLon) : NaN;
  const lat = typeof rawLat === 'number' ? rawLat : typeof rawLat === 'string' && rawLat.trim() !== '' ? Number(rawLat) : NaN;
  const lonOk = Number.isFinite(lon) && Math.abs(lon) <= 180, latOk = Number.isFinite(lat) && Math.abs(lat) <= 90;
  if (lonOk && latOk) return undefined;
  const swapped = Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 90 && Math.abs(lat) > 90 && Math.abs(lat) <= 180;
  if (lonName !== undefined && latName !== undefined) {
    const bad = latOk ? `column '${lonName}' must be a number in [-180, 180], found '${rawLon}'` : `column '${latName}' must be a number in [-90, 90], found '${rawLat}'`;
    return swapped ? `${bad}; lon and lat look swapped (${lonName} '${rawLon}' fits a latitude)` : bad;
  }
  const bad = `coordinates must be [lon, lat] with lon in [-180, 180] and lat in [-90, 90], found [${rawLon}, ${rawLat}]`;
  return swapped ? `${bad}; lon and lat look swapped (GeoJSON order is [lon, lat])` : bad;
}
