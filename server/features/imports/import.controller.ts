import { Router } from 'express';
import multer from 'multer';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import { listImportViews, type ImportFields } from './import.service.ts';

/** Imports: upload one file (multipart field `file`) with its kind and options; list a region's imports. */
export function importRoutes(deps: AppDeps): Router {
  const r = Router();
  // kept in memory, never on disk under a client-chosen name; one file per request
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: deps.limits.uploadBytes, files: 1, fields: 20, fieldSize: 10_000, parts: 22 },
  });
  r.post('/regions/:regionId/imports', heavyRateLimit(deps.limits), upload.single('file'), async (req, res) => {
    const fields: ImportFields = {};
    for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') fields[k as keyof ImportFields] = v;
    // ?kind=facilities works too, for clients that put options in the URL
    for (const k of ['kind', 'format', 'crs', 'category', 'status', 'capacityUnit', 'mode', 'cellSize', 'newCategories', 'repair', 'sheet'] as const) {
      const q = req.query[k];
      if (fields[k] === undefined && typeof q === 'string') fields[k] = q;
    }
    // parsed and checked in an engine worker: a large file does not hold the HTTP thread
    const regionId = idParam(req.params.regionId, 'regionId');
    const file = req.file ? { buffer: req.file.buffer, originalname: req.file.originalname } : undefined;
    const result = await deps.engine.call('importUpload', [regionId, file, fields]);
    // this thread's copy of the region (the map's facility rows) is read again on its next use
    deps.cache.forget(regionId);
    res.status(201).json(result);
  });
  r.get('/regions/:regionId/imports', async (req, res) => {
    res.json({ imports: await listImportViews(deps.db, idParam(req.params.regionId, 'regionId')) });
  });
  return r;
}
