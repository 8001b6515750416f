import { IMPORT_KINDS } from '../features/imports/import.table.ts';
import { ACCESS_MODES } from '../../analysis/accessibility/analyze-access.ts';
/** A small builder so each path reads as one line of intent. */
type Schema = Record<string, unknown>;
type Op = { summary: string; tags: string[]; params?: Schema[]; body?: Schema; bodyType?: string; ok: [number, string, Schema?]; write?: boolean; heavy?: boolean };

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const idPath = (name: string): Schema => ({ name, in: 'path', required: true, schema: { type: 'integer', minimum: 1 } });
const query = (name: string, description: string, schema: Schema = { type: 'string' }): Schema => ({ name, in: 'query', required: false, description, schema });
const json = (schema: Schema) => ({ 'application/json': { schema } });

function op(o: Op): Schema {
  const [status, description, schema] = o.ok;
  const errors: Record<string, Schema> = { 400: { description: 'validation_failed / bad_request', content: json(ref('Error')) }, 404: { description: 'not_found', content: json(ref('Error')) } };
  if (o.write) Object.assign(errors, { 401: { description: 'unauthorized: no or wrong bearer token', content: json(ref('Error')) }, 403: { description: 'read_only', content: json(ref('Error')) } });
  if (o.heavy) errors[429] = { description: 'rate_limited', content: json(ref('Error')) };
  return {
    summary: o.summary, tags: o.tags, ...(o.params ? { parameters: o.params } : {}),
    ...(o.body ? { requestBody: { required: true, content: { [o.bodyType ?? 'application/json']: { schema: o.body } } } } : {}),
    ...(o.write ? { security: [{ bearer: [] }] } : { security: [] }),
    responses: { [status]: { description, ...(schema ? { content: json(schema) } : {}) }, ...errors },
  };
}

const analysisRequest: Schema = {
  type: 'object', additionalProperties: false,
  description: 'A preset (e.g. elderly-care-15min), or categories + mode + minutes|meters. Preset values may be overridden.',
  properties: {
    regionId: { type: 'integer', description: 'default: the first region (the demo)' },
    scenarioId: { type: 'integer', description: 'apply this scenario\'s edits' },
    preset: { type: 'string', example: 'elderly-care-15min' },
    categories: { type: 'array', items: { type: 'string' }, example: ['elderly_station', 'day_care_center'] },
    statuses: { type: 'array', items: { enum: ['existing', 'planned', 'candidate'] }, default: ['existing'] },
    mode: { enum: ['walk', 'elderly-walk', 'bike', 'car', 'straight'] },
    minutes: { type: 'number', exclusiveMinimum: 0 }, meters: { type: 'number', exclusiveMinimum: 0 },
    population: { enum: ['all', 'aged60', 'rural'] }, coverageTarget: { type: 'number', minimum: 0, maximum: 1 },
    background: { type: 'boolean', description: 'run as a job: 202 with the job; follow /api/jobs/{id}/events' },
  },
};
const edit: Schema = {
  oneOf: [
    { type: 'object', required: ['op', 'id', 'lon', 'lat', 'category'], properties: { op: { const: 'add' }, id: { type: ['string', 'integer'] }, lon: { type: 'number' }, lat: { type: 'number' }, category: { type: 'string' }, name: { type: 'string' }, capacity: { type: 'number' } } },
    { type: 'object', required: ['op', 'id'], properties: { op: { const: 'remove' }, id: { type: ['string', 'integer'], description: 'facility id' } } },
    { type: 'object', required: ['op', 'id', 'lon', 'lat'], properties: { op: { const: 'move' }, id: { type: ['string', 'integer'] }, lon: { type: 'number' }, lat: { type: 'number' } } },
  ],
};
const facilityBody: Schema = {
  type: 'object', additionalProperties: false, required: ['category', 'lon', 'lat'],
  properties: {
    category: { type: 'string' }, name: { type: 'string' }, capacity: { type: ['number', 'null'] }, capacityUnit: { type: ['string', 'null'] },
    status: { enum: ['existing', 'planned', 'candidate'] }, source: { type: 'string' }, lon: { type: 'number' }, lat: { type: 'number' },
    externalId: { type: ['string', 'null'] }, properties: { type: 'object' },
    newCategory: { type: 'boolean', description: 'true to add a category the rule book and the region do not know yet' },
  },
};
const importBody: Schema = {
  type: 'object', required: ['file', 'kind'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'GeoJSON, CSV (UTF-8 or GBK), Excel .xlsx (facilities, population, population-table), zipped Shapefile, OSM PBF or GeoTIFF; .gz allowed' },
    kind: { enum: [...IMPORT_KINDS], description: 'buildable: polygons of land a site may be built on (GeoJSON, zipped Shapefile); suggested sites with candidates "buildable" are drawn inside them. population-table: a 七普 census table by unit (CSV or .xlsx: code = 9-digit township or 12-digit village 统计用区划代码, 常住人口 / residents, 60岁以上 / aged60), spread onto the region\'s current grid within each unit; a bad row is a 422 naming its line and column' },
    format: { enum: ['geojson', 'csv', 'xlsx', 'shapefile-zip', 'osm-pbf', 'geotiff'], description: 'default: detected' },
    sheet: { type: 'string', description: 'xlsx: the worksheet (default the first with data)' },
    crs: { type: 'string', description: 'CRS of the coordinates, e.g. EPSG:4544, GCJ-02; default EPSG:4326 (or the GeoJSON crs member, the Shapefile .prj)' },
    category: { type: 'string', description: 'facilities: category of rows without one' },
    status: { enum: ['existing', 'planned', 'candidate'], description: 'facilities: status of rows without one' },
    capacityUnit: { type: 'string' }, mode: { enum: ['append', 'replace'], description: 'facilities: replace the region\'s facilities of the imported categories' },
    cellSize: { type: 'number', description: 'population: grid cell size in metres (default 100)' },
    newCategories: { type: 'string', description: 'facilities: comma list of categories to add (others must be known to the rule book or the region)' },
    spread: { enum: ['grid-weights', 'even'], description: 'population-table: share a unit\'s residents as the current grid\'s cells do (default; even where they are all 0) or evenly; integers, totals exact per unit' },
    repair: { const: 'make-valid', description: 'units: split self-crossing polygons as ST_MakeValid would (else they are refused)' },
    columns: { type: 'string', description: 'JSON object field → the file\'s column (or property) name, for headers not recognised, e.g. {"name":"机构名称","lon":"X坐标","lat":"Y坐标","category":"类型"}; a column the file lacks is a 400 naming it', example: '{"lon":"X坐标","lat":"Y坐标"}' },
  },
};
const rowProblem: Schema = {
  type: 'object', required: ['field', 'expected', 'found', 'message'],
  properties: {
    line: { type: 'integer', description: 'CSV line or sheet row (1 is the header)' }, feature: { type: 'integer', description: 'GeoJSON / Shapefile feature index, from 0' },
    field: { type: 'string', example: 'lat' }, column: { type: 'string', description: 'the file\'s header for the field', example: 'Y坐标' },
    expected: { type: 'string' }, found: { type: 'string' }, message: { type: 'string' },
  },
};
const importPreview: Schema = {
  type: 'object',
  properties: {
    kind: { type: 'string' }, fileName: { type: 'string' }, format: { type: 'string' },
    headers: { type: 'array', items: { type: 'string' }, description: 'the file\'s headers or property names' },
    fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, required: { type: 'boolean' }, column: { type: ['string', 'null'] } } } },
    columns: { type: 'object', additionalProperties: { type: ['string', 'null'] }, description: 'field → the header it reads (null: none)' },
    total: { type: 'integer', description: 'features the import would write' },
    features: { type: 'object', description: 'GeoJSON FeatureCollection, at most 2000 features; facilities carry line/feature and problem' },
    errors: { type: 'array', items: rowProblem, description: 'every bad row in file order (at most 200), or the one problem of the whole file' },
    errorCount: { type: 'integer' }, ok: { type: 'boolean', description: 'the import would succeed as it stands' },
    spread: {
      type: 'object', description: 'population-table: what the import would spread',
      properties: {
        level: { enum: ['township', 'village'] }, method: { enum: ['grid-weights', 'even'] }, cellsOutside: { type: 'integer', description: 'cells in none of the table\'s units, which keep their residents' },
        units: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, cells: { type: 'integer' }, method: { type: 'string', description: 'even where grid-weights found only empty cells' }, population: { type: 'integer' }, aged60: { type: 'integer' } } } },
      },
    },
  },
};
const crsQuery = query('crs', 'EPSG:4326 (default), EPSG:4490 or a CGCS2000 Gauss-Krüger zone such as EPSG:4544');

/**
 * The OpenAPI 3.1 document of the service, served at /api/openapi.json and rendered at /api/docs.
 *
 * @example openApiDocument('0.1.0').paths['/api/analyses']
 */
export function openApiDocument(version: string): Schema {
  const C = ['compliance'], A = ['analyses'], F = ['facilities'], R = ['regions'], I = ['imports'], S = ['scenarios'], J = ['jobs'], E = ['exports'];
  const region = idPath('regionId'), id = idPath('id');
  return {
    openapi: '3.1.0',
    info: {
      title: 'lifecircle 生活圈 API', version,
      description: 'Service-circle accessibility for public-service planning. Reads are open; writes (POST, PATCH, DELETE) need `Authorization: Bearer <token>` (printed at start, or LIFECIRCLE_TOKEN). Errors are `{ error: { code, message, details } }`.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', enum: ['bad_request', 'validation_failed', 'unauthorized', 'read_only', 'not_found', 'conflict', 'payload_too_large', 'unsupported_format', 'invalid_geojson', 'invalid_crs', 'missing_field', 'invalid_file', 'invalid_edit', 'rate_limited', 'internal_error', 'not_implemented'] }, message: { type: 'string' }, details: { type: 'object', description: 'field, feature, line, expected, found' } } } } },
        AnalysisRequest: analysisRequest, Edit: edit, Facility: facilityBody,
      },
    },
    paths: {
      '/api/health': { get: op({ summary: 'Service and database status', tags: ['service'], ok: [200, 'ok'] }) },
      '/api/presets': { get: op({ summary: 'Circle presets of the planning standards (categories, reach, population, source)', tags: A, ok: [200, 'presets'] }) },
      '/api/regions': {
        get: op({ summary: 'Regions with their layers', tags: R, ok: [200, 'regions'] }),
        post: op({ summary: 'Create an empty region', tags: R, body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, code: { type: 'string' } } }, ok: [201, 'created'], write: true }),
      },
      '/api/regions/{regionId}': {
        get: op({ summary: 'A region: layers (units, grid, roads) and facility counts', tags: R, params: [region], ok: [200, 'region'] }),
        patch: op({ summary: 'Rename a region', tags: R, params: [region], body: { type: 'object', properties: { name: { type: 'string' }, code: { type: 'string' } } }, ok: [200, 'updated'], write: true }),
        delete: op({ summary: 'Delete a region and everything in it', tags: R, params: [region], ok: [204, 'deleted'], write: true }),
      },
      '/api/regions/{regionId}/units': { get: op({ summary: 'Townships (admin units) as GeoJSON', tags: R, params: [region], ok: [200, 'GeoJSON FeatureCollection'] }) },
      '/api/regions/{regionId}/tiled-runs': { post: op({ summary: 'A run of a region of many counties cut into county tiles (each with a halo as wide as the reach), one queue job per tile: any service or `lifecircle worker` process takes them; equal to an untiled run cell for cell. 202 with the run id and its tiles', tags: R, params: [region], body: { type: 'object', required: ['mode'], properties: { mode: { enum: [...ACCESS_MODES] }, minutes: { type: 'number' }, meters: { type: 'number' }, categories: { type: 'array', items: { type: 'string' } }, statuses: { type: 'array', items: { enum: ['existing', 'planned', 'candidate'] } } } }, ok: [202, '{ runId, tiles, jobs, links }'], write: true, heavy: true }) },
      '/api/tiled-runs/{id}': { get: op({ summary: 'A tiled run: state (running, merged, failed with the failed tiles), tiles stored so far, and once merged the coverage and the rollup per county', tags: R, params: [id], ok: [200, 'tiled run'] }) },
      '/api/regions/{regionId}/buildable': {
        get: op({ summary: 'Buildable land (import kind buildable) as GeoJSON: where suggested sites with candidates "buildable" may go', tags: R, params: [region], ok: [200, 'GeoJSON FeatureCollection'] }),
        delete: op({ summary: 'Remove the region\'s buildable land', tags: R, params: [region], ok: [200, '{ deleted }'], write: true }),
      },
      '/api/regions/{regionId}/outline': { get: op({ summary: 'Region outline (or its box) as a GeoJSON Feature', tags: R, params: [region], ok: [200, 'GeoJSON Feature'] }) },
      '/api/regions/{regionId}/facilities': {
        get: op({ summary: 'Facilities of a region (JSON, or GeoJSON with format=geojson)', tags: F, params: [region, query('category', 'comma list'), query('status', 'comma list of existing, planned, candidate'), query('format', 'geojson')], ok: [200, 'facilities'] }),
        post: op({ summary: 'Add a facility', tags: F, params: [region], body: ref('Facility'), ok: [201, 'created'], write: true }),
      },
      '/api/facilities/{id}': {
        get: op({ summary: 'A facility', tags: F, params: [id], ok: [200, 'facility'] }),
        patch: op({ summary: 'Change fields of a facility', tags: F, params: [id], body: { ...facilityBody, required: [] }, ok: [200, 'updated'], write: true }),
        delete: op({ summary: 'Delete a facility', tags: F, params: [id], ok: [204, 'deleted'], write: true }),
      },
      '/api/regions/{regionId}/imports': {
        get: op({ summary: 'Imports into a region, newest first', tags: I, params: [region], ok: [200, 'imports'] }),
        post: op({ summary: 'Import one file (all or nothing): facilities, population, roads, units, or a census table by township or village (population-table)', tags: I, params: [region], body: importBody, bodyType: 'multipart/form-data', ok: [201, 'imported'], write: true, heavy: true }),
      },
      '/api/regions/{regionId}/imports/preview': {
        post: op({ summary: 'Preview an import (dry run, nothing written): the features, the column mapping, every bad row', tags: I, params: [region], body: importBody, bodyType: 'multipart/form-data', ok: [200, 'what the import would do', importPreview], write: true, heavy: true }),
      },
      '/api/analyses': {
        get: op({ summary: 'Filed runs, newest first', tags: A, params: [query('regionId', 'filter', { type: 'integer' }), query('limit', 'default 50', { type: 'integer' })], ok: [200, 'runs'] }),
        post: op({ summary: 'Run a circle: coverage summary and one row per township (201), or a background job (202)', tags: A, body: ref('AnalysisRequest'), ok: [201, 'the filed run'], write: true, heavy: true }),
      },
      '/api/analyses/{id}': {
        get: op({ summary: 'A filed run', tags: A, params: [id], ok: [200, 'run'] }),
        delete: op({ summary: 'Delete a run', tags: A, params: [id], ok: [204, 'deleted'], write: true }),
      },
      '/api/analyses/{id}/gaps': { get: op({ summary: 'Gap polygons of a run (WGS 84 GeoJSON)', tags: A, params: [id], ok: [200, 'GeoJSON'] }) },
      '/api/analyses/{id}/gaps.geojson': { get: op({ summary: 'Gap polygons in a chosen CRS, as a download', tags: E, params: [id, crsQuery], ok: [200, 'GeoJSON file'], heavy: true }) },
      '/api/analyses/{id}/gaps.zip': { get: op({ summary: 'Gap polygons as a zipped Shapefile', tags: E, params: [id, crsQuery, query('encoding', 'UTF-8 (default) or GBK')], ok: [200, 'zip'], heavy: true }) },
      '/api/analyses/{id}/report.csv': { get: op({ summary: 'Per-township report as CSV', tags: E, params: [id, query('lang', 'zh (default) or en'), query('encoding', 'UTF-8 (default, with BOM) or GBK')], ok: [200, 'CSV'], heavy: true }) },
      '/api/analyses/{id}/report.xlsx': { get: op({ summary: 'Township table as an Excel workbook (the CSV\'s cells; sources on a second sheet)', tags: E, params: [id], ok: [200, 'XLSX'], heavy: true }) },
      '/api/analyses/{id}/gaps.xlsx': { get: op({ summary: 'Gap list as an Excel workbook: one row per gap polygon (township, reason, residents, times, nearest facility)', tags: E, params: [id, query('lang', 'zh (default) or en')], ok: [200, 'XLSX'], heavy: true }) },
      '/api/analyses/{id}/sheet.pdf': { get: op({ summary: 'Printable map sheet (专题图) as PDF: townships by coverage, gaps, facilities, legend, scale bar, north arrow, sources, township table', tags: E, params: [id, query('paper', 'A4 (default) or A3'), query('orientation', 'landscape (default) or portrait'), query('sites', 'draw k suggested sites (0–50, default 0): the suggestion POST suggested-sites gives for the run\'s own parameters', { type: 'integer', minimum: 0, maximum: 50 }), query('candidates', 'where those sites come from: uncovered (default), buildable or facilities')], ok: [200, 'PDF'], heavy: true }) },
      '/api/analyses/{id}/report.html': { get: op({ summary: 'Report as a self-contained HTML page', tags: E, params: [id], ok: [200, 'HTML'], heavy: true }) },
      '/api/regions/{regionId}/facilities.zip': { get: op({ summary: 'Facilities as a zipped Shapefile', tags: E, params: [region, crsQuery, query('encoding', 'UTF-8 or GBK'), query('category', 'comma list')], ok: [200, 'zip'], heavy: true }) },
      '/api/regions/{regionId}/scenarios': {
        get: op({ summary: 'Scenarios of a region', tags: S, params: [region], ok: [200, 'scenarios'] }),
        post: op({ summary: 'Create a scenario (named facility edits)', tags: S, params: [region], body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, description: { type: 'string' }, edits: { type: 'array', items: ref('Edit') } } }, ok: [201, 'created'], write: true }),
      },
      '/api/scenarios/{id}': {
        get: op({ summary: 'A scenario', tags: S, params: [id], ok: [200, 'scenario'] }),
        patch: op({ summary: 'Change a scenario', tags: S, params: [id], body: { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' }, edits: { type: 'array', items: ref('Edit') } } }, ok: [200, 'updated'], write: true }),
        delete: op({ summary: 'Delete a scenario', tags: S, params: [id], ok: [204, 'deleted'], write: true }),
      },
      '/api/scenarios/{id}/what-if': { post: op({ summary: 'Coverage change per township from a stored scenario (incremental, no rerun)', tags: S, params: [id], body: ref('AnalysisRequest'), ok: [200, 'delta'], write: true, heavy: true }) },
      '/api/regions/{regionId}/what-if': { post: op({ summary: 'Coverage change per township from inline edits', tags: S, params: [region], body: { allOf: [ref('AnalysisRequest'), { type: 'object', properties: { edits: { type: 'array', items: ref('Edit') } } }] }, ok: [200, 'delta'], write: true, heavy: true }) },
      '/api/regions/{regionId}/suggested-sites/file': { post: op({ summary: 'Suggested sites as a file: xlsx (sites, coverage curve, parameters on their own sheets), csv, curve.csv, geojson or a Shapefile zip in a chosen CRS; the body is that of suggested-sites (goal coverage)', tags: S, params: [region, query('format', 'xlsx (default), csv, curve.csv, geojson, zip'), query('crs', 'EPSG:4326 (default), EPSG:4490, a Gauss-Krüger zone such as EPSG:4544'), query('encoding', 'zip: UTF-8 (default) or GBK')], body: ref('AnalysisRequest'), ok: [200, 'XLSX'], write: true, heavy: true }) },
      '/api/regions/{regionId}/suggested-sites': { post: op({ summary: 'Suggested sites: k places covering the most of the circle\'s group (goal coverage), the fewest bringing townships to the target share (goal target), or k sites of siteCapacity places each with the group served by the nearest site with room (goal capacity: served, short of places, out of reach)', tags: S, params: [region], body: { allOf: [ref('AnalysisRequest'), { type: 'object', properties: { goal: { enum: ['coverage', 'target', 'capacity'] }, siteCapacity: { type: 'number', description: 'goal capacity: places (beds, slots) of each new site, in the circle\'s group' }, exact: { type: 'boolean', description: 'goal coverage: also solve the same problem exactly (HiGHS MILP, spacing kept as pairs that may not both be built) and report the greedy\'s gap to the optimum' }, k: { type: 'integer', minimum: 1, maximum: 200 }, candidates: { enum: ['uncovered', 'facilities', 'buildable'], description: 'uncovered cells (default), the region\'s facilities of status candidate, or lattice points on the region\'s buildable land (import kind buildable)' }, aged60Weight: { type: 'number' }, blockMeters: { type: 'number' }, spacingMeters: { type: 'number', description: 'least distance between sites, default 500 m' }, townships: { type: 'array', items: { type: 'string' }, description: 'goal target: names or codes; default every township under the target' }, target: { type: 'number', description: 'goal target: share of the group, default the circle\'s target' }, maxSites: { type: 'integer', description: 'goal target: most sites per township (default 100)' }, budget: { type: 'number', description: 'most the sites may cost together, 万元 (unit costs per category, assumed defaults)' }, siteCategory: { type: 'string', description: 'category of new sites for their cost; default the cheapest the circle counts' } } }] }, ok: [200, 'sites'], write: true, heavy: true }) },
      '/api/regions/{regionId}/compliance': {
        get: op({ summary: 'Filed compliance reports of a region', tags: C, params: [region], ok: [200, 'reports'] }),
        post: op({ summary: 'Judge every circle and indicator of the standards per township and file the report (201), or as a job (202)', tags: C, params: [region], body: { type: 'object', properties: { only: { type: 'array', items: { type: 'string' }, description: 'circle and indicator ids; default all' }, statuses: { type: 'array', items: { enum: ['existing', 'planned', 'candidate'] } }, background: { type: 'boolean' } } }, ok: [201, 'the filed report'], write: true, heavy: true }),
      },
      '/api/compliance/{id}': {
        get: op({ summary: 'A filed compliance report (areas, items, rows with verdicts and shortfalls)', tags: C, params: [id], ok: [200, 'report'] }),
        delete: op({ summary: 'Delete a compliance report', tags: C, params: [id], ok: [204, 'deleted'], write: true }),
      },
      '/api/compliance/{id}/report.csv': { get: op({ summary: 'Compliance report as CSV (UTF-8 with BOM, bilingual headers)', tags: E, params: [id], ok: [200, 'CSV'], heavy: true }) },
      '/api/compliance/{id}/report.xlsx': { get: op({ summary: 'Compliance report as an Excel workbook: the CSV\'s cells, frozen header, shares in per cent, verdicts coloured, sources on their own sheet', tags: E, params: [id], ok: [200, 'XLSX'], heavy: true }) },
      '/api/compliance/{id}/report.html': { get: op({ summary: 'Compliance report as a printable HTML page', tags: E, params: [id], ok: [200, 'HTML'], heavy: true }) },
      '/api/jobs/{id}': { get: op({ summary: 'A job: state, step, progress, result', tags: J, params: [id], ok: [200, 'job'] }) },
      '/api/jobs/{id}/events': { get: { ...op({ summary: 'Job progress as Server-Sent Events: progress…, then done or failed', tags: J, params: [id], ok: [200, 'text/event-stream'] }) } },
    },
  };
}
