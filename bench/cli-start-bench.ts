// The CLI's start, compiled (dist/cli) against the TypeScript sources through tsx, in child processes as a
// user runs it: `--help`, and Porto Alegre `analyze` end to end when ../shared is there. bench/run.ts calls it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'lifecircle.js');
const POA = join(ROOT, '..', 'shared', 'data', 'realworld', 'porto-alegre');

function wall(args: string[], source: boolean, repeats: number): { median: number; min: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, LIFECIRCLE_CLI_SOURCE: source ? '1' : '0' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`lifecircle ${args[0]}: exit ${r.status}: ${r.stderr.slice(0, 300)}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
}

const s = (t: { median: number; min: number; max: number }) => `median ${(t.median / 1000).toFixed(2)} s (min ${(t.min / 1000).toFixed(2)}, max ${(t.max / 1000).toFixed(2)})`;

export function benchCliStart(repeats = 5): void {
  console.log('\n## CLI start: compiled (dist/cli) vs the sources through tsx, child processes, same runs');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'BUILT'))) { console.log('skipped: dist/cli not built (npm run build:cli)'); return; }
  const cases: [string, string[]][] = [['--help', ['--help']]];
  if (existsSync(POA)) {
    const out = mkdtempSync(join(tmpdir(), 'lifecircle-bench-cli-'));
    cases.push(['Porto Alegre analyze (walk 15 min)', ['analyze', '--quiet', '--population', join(POA, 'poa_hexgrid.csv'), '--facilities', join(POA, 'poa_hexgrid.csv'), '--where', 'healthcare>0', '--roads', join(POA, 'poa_osm.pbf'), '--mode', 'walk', '--minutes', '15', '--out', out]]);
  } else console.log('Porto Alegre skipped: ../shared/data/realworld/porto-alegre not found');
  for (const [name, args] of cases) {
    const compiled = wall(args, false, repeats), source = wall(args, true, repeats);
    console.log(`${name}: compiled ${s(compiled)}; tsx ${s(source)}; ratio ${(compiled.median / source.median).toFixed(2)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchCliStart();
