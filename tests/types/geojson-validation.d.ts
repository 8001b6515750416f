// geojson-validation ships no types; the two calls the tests use
declare module 'geojson-validation' {
  /** true when the object is valid GeoJSON; with trace, the list of problems (empty when valid) */
  export function valid(geoJSON: unknown): boolean;
  export function valid(geoJSON: unknown, trace: true): string[];
  export function isFeature(feature: unknown, trace: true): string[];
  const GJV: { valid: typeof valid; isFeature: typeof isFeature };
  export default GJV;
}
