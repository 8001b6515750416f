import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { createProgress } from './progress.ts';

/**
 * `lifecircle db --db URL|DIR …`: the CLI on the service's own database (PostgreSQL URL or the embedded folder),
 * through the same service functions as the HTTP API, so runs filed here show up in the web app.
 */
export function dbCommand(): Command {
  const db = new Command('db').description('work on the service database: list regions, import files, run and file analyses, export reports')
    .requiredOption('--db <url|dir>', 'postgres://… URL, or the embedded database folder (e.g. .lifecircle/db)')
    .option('--seed', 'seed the Yuechi demo when the database has no region yet');
  const open = async (cmd: Command) => {
    const o = (cmd.parent?.opts() ?? cmd.opts()) as { db: string; seed?: boolean };
    // the service's modules (database, app) load only for a db command
    const { openBatch } = await import('../app/batch.ts');
    return openBatch(o.db, { seed: o.seed === true });
  };

  db.command('regions').description('the regions in the database').action(async (_o, cmd: Command) => {
    const batch = await open(cmd);
    try {
      for (const r of await batch.regions()) process.stdout.write(`${r.id}\t${r.name}\n`);
    } finally { await batch.close(); }
  });

  db.command('import').description('import a file into a region, all or nothing (GeoJSON, CSV, .xlsx, zipped Shapefile, OSM PBF, GeoTIFF)')
    .requiredOption('--region <id>', 'region id').requiredOption('--kind <kind>', 'facilities | population | units | roads | population-table (a 七普 table by township or village code)')
    .option('--crs <name>', 'the file\'s CRS when not WGS84, e.g. EPSG:4544 or GCJ-02').option('--category <id>', 'category for every facility without one')
    .option('--spread <method>', 'population-table: grid-weights (default) or even')
    .argument('<file>')
    .action(async (file: string, o: { region: string; kind: string; crs?: string; category?: string; spread?: string }, cmd: Command) => {
      const batch = await open(cmd);
      try {
        const r = await batch.importFile(Number(o.region), file, { kind: o.kind, crs: o.crs, category: o.category, spread: o.spread });
        process.stdout.write(`imported ${file}: ${Object.entries(r.written).map(([k, v]) => `${v} ${k}`).join(', ')}\n`);
      } finally { await batch.close(); }
    });

  db.command('analyze').description('run a circle and file it (as POST /api/analyses)')
    .option('--preset <id>', 'a planning circle, e.g. elderly-care-15min').option('--region <id>', 'region id (default the first)')
    .option('--scenario <id>', 'with a saved scenario\'s edits').option('--out <dir>', 'also write the report CSV and HTML here')
    .option('--quiet', 'no progress output')
    .action(async (o: { preset?: string; region?: string; scenario?: string; out?: string; quiet?: boolean }, cmd: Command) => {
      const batch = await open(cmd);
      try {
        const progress = createProgress(process.stderr, o.quiet);
        const run = await batch.analyze({
          preset: o.preset, ...(o.region ? { regionId: Number(o.region) } : {}), ...(o.scenario ? { scenarioId: Number(o.scenario) } : {}),
        }, (s, f) => progress.step(s, f));
        progress.done();
        const s = run.summary as { coveredShare?: number | null };
        process.stdout.write(`analysis ${run.id} filed: ${o.preset ?? ''} covered ${s.coveredShare == null ? '–' : `${(s.coveredShare * 100).toFixed(1)} %`}\n`);
        if (o.out) {
          await mkdir(o.out, { recursive: true });
          for (const format of ['csv', 'html'] as const) {
            const f = await batch.report(run.id, format);
            await writeFile(join(o.out, f.fileName), f.body);
            process.stdout.write(`written ${join(o.out, f.fileName)}\n`);
          }
        }
      } finally { await batch.close(); }
    });
  db.command('tiled-run').description('run a region of many counties as county tiles on the queue (as POST /api/regions/:id/tiled-runs), wait for the merge, print the rollup per county')
    .requiredOption('--region <id>', 'region id').requiredOption('--mode <mode>', 'walk | elderly-walk | bike | car | straight')
    .option('--minutes <n>', 'the reach in minutes').option('--meters <n>', 'the reach in metres (distance or straight line)')
    .option('--categories <ids>', 'facility categories, comma-separated (default all)')
    .option('--no-work', 'only queue the tiles: `lifecircle worker` processes on the database compute them')
    .option('--csv <file>', 'also write the rollup per county as CSV')
    .option('--quiet', 'no progress output')
    .action(async (o: { region: string; mode: string; minutes?: string; meters?: string; categories?: string; work: boolean; csv?: string; quiet?: boolean }, cmd: Command) => {
      const num = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!(n > 0)) throw new Error(`--${name} ${v}: expected a positive number`);
        return n;
      };
      const spec = {
        regionId: Number(o.region), mode: o.mode as never, minutes: num(o.minutes, 'minutes'), meters: num(o.meters, 'meters'),
        ...(o.categories ? { categories: o.categories.split(',').map((c) => c.trim()).filter(Boolean) } : {}),
      };
      const batch = await open(cmd);
      try {
        const progress = createProgress(process.stderr, o.quiet);
        const run = await batch.tiledRun(spec, { work: o.work }, (s, f) => progress.step(s, f));
        progress.done();
        if (run.state === 'failed') throw new Error(`tiled run ${run.id} failed: ${(run.failedTiles ?? []).map((t) => `tile ${t.tile}: ${t.error}`).join('; ')}`);
        const rows = run.summary!.rollup;
        const pct = (x: number | null) => (x === null ? '' : (x * 100).toFixed(1));
        for (const u of rows) process.stdout.write(`${u.name}\t${Math.round(u.population)}\t${Math.round(u.covered)}\t${pct(u.share)} %\n`);
        const c = run.summary!.coverage.population;
        process.stdout.write(`tiled run ${run.id}: ${run.tiles} tiles, covered ${Math.round(c.covered)} of ${Math.round(c.total)} residents\n`);
        if (o.csv) {
          const { csvField } = await import('../export/csv-field.ts');
          await writeFile(o.csv, ['county,code,population,covered,share', ...rows.map((u) => [csvField(u.name), csvField(u.code), Math.round(u.population), Math.round(u.covered), u.share === null ? '' : u.share.toFixed(4)].join(','))].join('\n') + '\n');
          process.stdout.write(`written ${o.csv}\n`);
        }
      } finally { await batch.close(); }
    });
  return db;
}
