import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { appDeps, type AppDeps } from '../../server/app/app-deps.ts';
import { createApp } from '../../server/app/create-app.ts';
import { openService } from '../../server/app/open-service.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = join(ROOT, 'web', 'dist');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');
export const CHROMIUM = '/usr/bin/chromium';
export const TOKEN = 'web-test-token-0123456789';

// the flags the project runs headless Chromium with: software WebGL (SwiftShader), nothing phoning home
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * Builds web/dist with Vite when it is missing or older than any web source (or the engine modules the app
 * imports), so a test never looks at a stale bundle.
 */
export async function ensureWebBuild(): Promise<'built' | 'fresh'> {
  const index = join(WEB_DIST, 'index.html');
  const sources = [join(ROOT, 'web', 'src'), join(ROOT, 'web', 'index.html'), join(ROOT, 'web', 'vite.config.ts'), join(ROOT, 'analysis')];
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return 'fresh';
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}

/** The real service (demo seeded into a fresh PGlite folder) serving the built web app on a free port. */
export interface WebService {
  url: string;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function startWebService(): Promise<WebService> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-web-'));
  let handle: DatabaseHandle | null = null;
  try {
    ({ handle } = await openService({ dataDir: join(dir, 'db'), log: () => undefined }));
    const deps = appDeps({ db: handle.db, databaseKind: handle.kind, token: TOKEN, webDist: WEB_DIST, log: () => undefined,
      limits: { jsonBytes: 2 * 1024 * 1024, uploadBytes: 8 * 1024 * 1024, heavyPerMinute: 10_000 } });
    const server = await new Promise<Server>((ok) => {
      const s = createApp(deps).listen(0, '127.0.0.1', () => ok(s));
    });
    const opened = handle;
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      deps,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        await deps.jobs.idle();
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
