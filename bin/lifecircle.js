#!/usr/bin/env node
// Runs the compiled CLI (dist/cli, built by `npm install` or `node scripts/build-cli.mjs`) when it is newer
// than every TypeScript source it comes from; else the sources through tsx, so an edit is never run stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'cli', 'BUILT');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mjs)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

// LIFECIRCLE_CLI_SOURCE=1 runs the sources even when the build is fresh (tests and the bench compare both)
const fresh = process.env.LIFECIRCLE_CLI_SOURCE !== '1' && existsSync(built) && statSync(built).mtimeMs >= Math.max(newestSource(join(root, 'server')), newestSource(join(root, 'analysis')));
if (fresh) {
  await import('../dist/cli/main.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/cli/main.ts');
}
