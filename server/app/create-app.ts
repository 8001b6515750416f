import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { analysisRoutes } from '../features/analyses/analysis.controller.ts';
import { complianceRoutes } from '../features/compliance/compliance.controller.ts';
import { exportRoutes } from '../features/exports/export.controller.ts';
import { facilityRoutes } from '../features/facilities/facility.controller.ts';
import { importRoutes } from '../features/imports/import.controller.ts';
import { jobRoutes } from '../features/jobs/job.controller.ts';
import { regionRoutes } from '../features/regions/region.controller.ts';
import { buildableRoutes } from '../features/buildable/buildable.controller.ts';
import { tileRunRoutes } from '../features/tiles/tile-run.controller.ts';
import { scenarioRoutes } from '../features/scenarios/scenario.controller.ts';
import { siteRoutes } from '../features/sites/site.controller.ts';
import type { AppDeps } from './app-deps.ts';
import { AppError } from './app-error.ts';
import { docsPage } from './docs-page.ts';
import { errorMiddleware } from './error-middleware.ts';
import { openApiDocument } from './openapi.ts';
import { webApp } from './web-static.ts';
import { writeGuard } from './write-guard.ts';

export const API_VERSION = '0.1.0';

/**
 * The HTTP app: JSON API under /api (writes behind the bearer token, read-only mode, size and rate limits,
 * security headers), the OpenAPI document and docs page, and the web app or its placeholder. It does not
 * listen: `main.ts` does, and tests bind it to a free port.
 *
 * @example
 * const app = createApp(appDeps({ db, databaseKind: 'pglite', token }));
 * app.listen(8080);
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        // the map renders in web workers from blob: URLs and draws tiles from data:/blob: images
        'worker-src': ["'self'", 'blob:'],
        // optional online basemaps (off by default) fetch tiles: only from the hosts named in the settings
        'img-src': ["'self'", 'data:', 'blob:', ...deps.tileHosts],
        'connect-src': ["'self'", ...deps.tileHosts],
        // bureaus serve plain HTTP on intranets: upgrading requests to https would break the app there
        'upgrade-insecure-requests': null,
      },
    },
    // HSTS over plain HTTP would lock an intranet's browsers out of the http:// address: only over HTTPS
    strictTransportSecurity: false,
  }));
  app.use((req, res, next) => {
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });

  const api = Router();
  // the token is checked before any body is read, so anonymous writers cannot make the server parse
  api.use(writeGuard({ token: deps.token, readOnly: deps.readOnly }));
  api.use(express.json({ limit: deps.limits.jsonBytes }));
  api.get('/health', (_req, res) => {
    res.json({ ok: true, version: API_VERSION, database: deps.databaseKind, readOnly: deps.readOnly });
  });
  const doc = openApiDocument(API_VERSION);
  api.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  const docs = docsPage(doc);
  api.get('/docs', (_req, res) => {
    res.type('html').send(docs);
  });
  for (const routes of [regionRoutes, buildableRoutes, facilityRoutes, importRoutes, analysisRoutes, complianceRoutes, exportRoutes, scenarioRoutes, siteRoutes, tileRunRoutes, jobRoutes]) {
    api.use(routes(deps));
  }
  api.use((req) => {
    throw new AppError('not_found', `${req.method} /api${req.path}: no such endpoint; see /api/docs`);
  });
  app.use('/api', api);
  app.use(webApp(deps.webDist));
  app.use(errorMiddleware(deps.log));
  return app;
}
