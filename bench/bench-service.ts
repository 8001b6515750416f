// The service as `npm start` runs it (PGlite with the demo seeded, the engine in a worker thread), on a free
// port, for the benches that measure through HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appDeps } from '../server/app/app-deps.ts';
import { createApp } from '../server/app/create-app.ts';
import { openService } from '../server/app/open-service.ts';
import { createEnginePool } from '../server/engine/engine-pool.ts';

const TOKEN = 'bench-token-0123456789abcdef';

export interface BenchService {
  /** http://127.0.0.1:PORT/api */
  base: string;
  /** POST JSON with the write token; throws naming the path on a non-2xx answer */
  post(path: string, body: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function openBenchService(): Promise<BenchService> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-bench-'));
  const { handle } = await openService({ dataDir: join(dir, 'db'), log: () => undefined });
  // the engine in a worker thread: a round trip includes the hop between threads
  const pool = createEnginePool({ pool: handle.pool, threads: 1 });
  const deps = appDeps({ db: handle.db, databaseKind: handle.kind, token: TOKEN, webDist: join(dir, 'no-web'), log: () => undefined, engine: pool,
    limits: { jsonBytes: 2 * 1024 * 1024, uploadBytes: 8 * 1024 * 1024, heavyPerMinute: 1_000_000 } });
  const server = await new Promise<Server>((ok) => { const s = createApp(deps).listen(0, '127.0.0.1', () => ok(s)); });
  server.keepAliveTimeout = 600_000;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  return {
    base,
    async post(path, body) {
      const res = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
      return JSON.parse(text);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await deps.jobs.idle();
      await pool.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
