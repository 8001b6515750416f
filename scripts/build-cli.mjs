// Compiles the CLI to plain JavaScript (dist/cli), so `lifecircle` starts without tsx's on-the-fly
// transpiling (2.2 s → well under 0.5 s for --help). Runs on `npm install` (prepare); bin/lifecircle.js falls
// back to the TypeScript sources whenever they are newer than this build.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// dist/cli sits two folders below the root, as server/io does: paths built from import.meta.url hold
const out = join(root, 'dist', 'cli');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  // the engine's worker-thread task too: `lifecircle worker` runs jobs in the same pool the service uses
  entryPoints: { main: join(root, 'server', 'cli', 'main.ts'), 'engine-task': join(root, 'server', 'engine', 'engine-task.ts') },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
// the PBF reader runs in a worker loaded by URL beside the module that starts it
copyFileSync(join(root, 'server', 'io', 'pbf-worker.mjs'), join(out, 'pbf-worker.mjs'));
// the pool loads engine-worker.mjs beside engine-pool's module: here the compiled task, no tsx
writeFileSync(join(out, 'engine-worker.mjs'), "export { default } from './engine-task.mjs';\n");
writeFileSync(join(out, 'BUILT'), `${new Date().toISOString()}\n`);
