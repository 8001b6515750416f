import { Router, type Request } from 'express';
import multer from 'multer';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import { listImportViews, type ImportFields } from './import.service.ts';

// the multipart fields as strings; ?kind=facilities works too, for clients that put options in the URL
function importFields(req: Request): ImportFields {
  const fields: ImportFields = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') fields[k as keyof ImportFields] = v;
  for (const k of ['kind', 'format', 'crs', 'category', 'status', 'capacityUnit', 'mode', 'cellSize', 'newCategories', 'repair', 'sheet', 'columns', 'spread'] as const) {
    const q = req.query[k];
    if (fields[k] === undefined && typeof q === 'string') fields[k] = q;
  }
  return fields;
}

function uploaded(req: Request): { buffer: Uint8Array; originalname: string } | undefined {
  return req.file ? { buffer: req.file.buffer, originalname: req.file.originalname } : undefined;
}

/**
 * Imports: upload one file (multipart field `file`) with its kind and options, or preview it (a dry run that
 * writes nothing and lists every bad row); list a region's imports.
 */
export function importRoutes(deps: AppDeps): Router {
  const r = Router();
  // kept in memory, never on disk under a client-chosen name; one file per request
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: deps.limits.uploadBytes, files: 1, fields: 20, fieldSize: 10_000, parts: 22 },
  });
  r.post('/regions/:regionId/imports/preview', heavyRateLimit(deps.limits), upload.single('file'), async (req, res) => {
    // read in an engine worker as the import is; nothing is written, so no cache is forgotten
    res.json(await deps.engine.call('previewUpload', [idParam(req.params.regionId, 'regionId'), uploaded(req), importFields(req)]));
  });
  r.post('/regions/:regionId/imports', heavyRateLimit(deps.limits), upload.single('file'), async (req, res) => {
    // parsed and checked in an engine worker: a large file does not hold the HTTP thread
    const regionId = idParam(req.params.regionId, 'regionId');
    const result = await deps.engine.call('importUpload', [regionId, uploaded(req), importFields(req)]);
    // this thread's copy of the region (the map's facility rows) is read again on its next use
    deps.cache.forget(regionId);
    res.status(201).json(result);
  });
  r.get('/regions/:regionId/imports', async (req, res) => {
    res.json({ imports: await listImportViews(deps.db, idParam(req.params.regionId, 'regionId')) });
  });
  return r;
}
