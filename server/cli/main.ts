import { dirname } from 'node:path';
import { Command } from 'commander';
import type { CircleSummary } from '../../analysis/circles/run-circle.ts';
import { createProgress } from './progress.ts';
import { checkOutDir } from './out-dir.ts';
import { dbCommand } from './db-command.ts';

// each command's modules load when it runs, so `--help` and a typo answer at once

const program = new Command();
program.name('lifecircle').description('生活圈 lifecircle: service-circle accessibility for public-service planning');

/** The inputs every population-based command reads. */
const pct = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)} %`);

/** The line the CLI prints after a run: the circle's group first, all residents beside it. */
function coverageLine(s: CircleSummary): string {
  const all = s.population;
  const groupText = s.group === 'aged60' ? 'residents aged 60+' : s.group === 'rural' ? 'rural residents' : 'residents';
  const head = s.groupCount ? `covered ${Math.round(s.groupCount.covered)} of ${Math.round(s.groupCount.total)} ${groupText} (${pct(s.groupCount.coveredShare)})` : `no ${groupText} counts`;
  return s.group === 'all' ? `${head}; uncovered ${Math.round(all.uncovered)}; ${s.gaps.count} gaps`
    : `${head}; all residents ${Math.round(all.covered)} of ${Math.round(all.total)} (${pct(all.coveredShare)}); ${s.gaps.count} gaps`;
}

function withAnalysisInputs(cmd: Command, out: [string, string] = ['--out <dir>', 'output folder']): Command {
  return cmd
    .option('--population <file>', 'GeoTIFF, CSV or Excel .xlsx points (lon,lat,population[,population_60plus]) or GeoJSON polygons')
    .option('--facilities <file>', 'GeoJSON points, CSV or Excel .xlsx with lon,lat[,id,name,category,capacity] (经度, 纬度, 名称, 类别 too)')
    .option('--facilities-crs <name>', 'CRS of the facility file when not WGS84: EPSG:4490, EPSG:4544 (Gauss-Krüger), GCJ-02, BD-09')
    .option('--demo [dir]', 'the Yuechi demo (data/yuechi: population, townships, roads, facilities) in place of the files')
    .option('--roads <file>', 'OSM PBF or GeoJSON LineStrings with highway tags (needed unless --mode straight)')
    .option('--units <file>', 'admin-unit polygons (GeoJSON) for per-unit rows')
    .option('--preset <id>', 'a planning circle (see lifecircle presets): its services, urban and rural reach, group and target')
    .option('--config <file>', 'JSON overriding preset values')
    .option('--mode <mode>', 'walk | elderly-walk | bike | car | straight (without --preset)')
    .option('--minutes <n>', 'threshold in minutes')
    .option('--meters <n>', 'threshold in metres (network or straight-line distance)')
    .option('--rural-minutes <n>', 'another threshold for rural cells (都市15分钟、乡村1.5小时: --mode walk --minutes 15 --rural-mode car --rural-minutes 90)')
    .option('--rural-mode <mode>', 'the mode of the rural threshold (default --mode)')
    .option('--group <group>', 'whose coverage decides: all (default), aged60 or rural')
    .option('--speeds <file>', 'JSON speed table merged over the defaults')
    .option('--where <expr>', 'keep facilities matching FIELD OP VALUE, e.g. healthcare>0')
    .option('--category <id>', 'keep facilities of one category')
    .option('--new-category <list>', 'facility categories to accept besides the rule book\'s, comma-separated')
    .option('--repair <how>', 'make-valid: split self-crossing township polygons as ST_MakeValid would (else they are refused)')
    .option('--max-snap <m>', 'farthest a point may be from a road and still join it (default 500)')
    .option('--cell-size <m>', 'grid cell size in metres (default 100)')
    .requiredOption(...out)
    .option('--quiet', 'no progress output');
}

withAnalysisInputs(program.command('analyze'))
  .description('travel time from every populated cell to the nearest facility, and the coverage it gives')
  .action(async (opts) => {
    const { analyzeCommand } = await import('./analyze-command.ts');
    const r = await analyzeCommand(opts, createProgress(process.stderr, opts.quiet));
    process.stdout.write(`${coverageLine(r.summary)}; written to ${opts.out}\n`);
  });

withAnalysisInputs(program.command('gaps'))
  .description('uncovered residents as gap polygons (GeoJSON and zipped Shapefile) that say who is left out and how far')
  .option('--min-population <n>', 'leave gaps with fewer uncovered residents out of the files')
  .option('--crs <name>', 'export CRS: EPSG:4326 (default), EPSG:4490, a Gauss-Krüger zone such as EPSG:4544, or gk to choose one')
  .action(async (opts) => {
    const { gapsCommand } = await import('./gaps-command.ts');
    const r = await gapsCommand(opts, createProgress(process.stderr, opts.quiet));
    process.stdout.write(`${r.gaps} gap polygons holding ${Math.round(r.uncovered)} uncovered residents; written ${r.files.join(', ')}\n`);
  });

program.command('isochrones')
  .description('travel-time bands around facilities over the road network')
  .requiredOption('--facilities <file>', 'GeoJSON points or CSV with lon,lat')
  .requiredOption('--roads <file>', 'OSM PBF or GeoJSON LineStrings with highway tags')
  .requiredOption('--mode <mode>', 'walk | elderly-walk | bike | car')
  .option('--bands <minutes>', 'band limits in minutes, comma-separated', '5,10,15')
  .option('--per-facility', 'one set of bands per facility instead of merged')
  .option('--cell <m>', 'sampling raster cell in metres (default 50)')
  .option('--speeds <file>', 'JSON speed table merged over the defaults')
  .option('--where <expr>', 'keep facilities matching FIELD OP VALUE')
  .option('--category <id>', 'keep facilities of one category')
  .option('--max-snap <m>', 'farthest a point may be from a road (default 500)')
  .option('--crs <name>', 'export CRS, as for gaps')
  .requiredOption('--out <dir>', 'output folder')
  .option('--quiet', 'no progress output')
  .action(async (opts) => {
    const { isochronesCommand } = await import('./isochrones-command.ts');
    const r = await isochronesCommand(opts, createProgress(process.stderr, opts.quiet));
    process.stdout.write(`${r.features} isochrone polygons; written ${r.files.join(', ')}\n`);
  });

withAnalysisInputs(program.command('suggest'))
  .description('k new sites that bring the most uncovered residents within the threshold (maximal covering)')
  .option('--k <n>', 'how many sites (goal coverage)')
  .option('--goal <goal>', 'coverage: most of the group with --k sites (default); target: fewest sites bringing townships to the target; capacity: --k sites of --site-capacity places, the group served by the nearest site with room')
  .option('--site-capacity <n>', 'goal capacity: places (beds, slots) of each new site')
  .option('--township <names>', 'goal target: townships by name or code, comma-separated (default every one under the target)')
  .option('--target <share>', 'goal target: share of the circle\'s group, e.g. 0.9 (default the circle\'s target)')
  .option('--max-sites <n>', 'goal target: most sites per township (default 100)')
  .option('--candidates <file>', 'candidate points (GeoJSON/CSV); default: uncovered populated cells')
  .option('--buildable <file>', 'buildable-land polygons (GeoJSON); candidates inside them')
  .option('--aged60-weight <w>', 'objective: residents + w × residents aged 60+ (default: the circle\'s group, 60+ for the elderly circle)')
  .option('--budget <wan>', 'goal coverage within a budget in 万元 (each site costs its category\'s unit cost; assumed defaults)')
  .option('--spacing <m>', 'least distance between two suggested sites in metres (default 500)')
  .option('--crs <name>', 'export CRS, as for gaps')
  .action(async (opts) => {
    const { suggestCommand } = await import('./suggest-command.ts');
    const r = await suggestCommand(opts, createProgress(process.stderr, opts.quiet));
    process.stdout.write(`${r.line ?? `${r.sites} sites suggested`}; written ${r.files.join(', ')}\n`);
  });

withAnalysisInputs(program.command('map'), ['--out <file.pdf>', 'the PDF map sheet to write'])
  .description('a printable map sheet (专题图, PDF): townships by coverage, gaps, facilities, legend, scale bar, north arrow, sources, township table')
  .option('--paper <size>', 'A4 (default) or A3')
  .option('--orientation <o>', 'landscape (default) or portrait')
  .option('--region-name <name>', 'printed before the circle\'s title (default: the demo\'s county)')
  .option('--sites <k>', 'also draw the k suggested sites of the circle (as lifecircle suggest --k k chooses them)')
  .action(async (opts) => {
    const { mapCommand } = await import('./map-command.ts');
    const r = await mapCommand(opts, createProgress(process.stderr, opts.quiet));
    process.stdout.write(`${r.line}\n`);
  });

program.command('report')
  .description('per-township compliance report: each circle and indicator against the plan, with a verdict and the shortfall')
  .option('--preset <ids>', 'circle or indicator ids, comma-separated (see lifecircle presets)')
  .option('--all', 'every circle and indicator')
  .option('--demo [dir]', 'the Yuechi demo data (data/yuechi) in place of the input files')
  .option('--population <file>', 'population (as for analyze)')
  .option('--facilities <file>', 'facilities with category and capacity fields')
  .option('--roads <file>', 'OSM PBF or GeoJSON roads')
  .option('--units <file>', 'township polygons with code, name and type (街道/镇/乡)')
  .option('--new-category <list>', 'facility categories to accept besides the rule book\'s, comma-separated')
  .option('--repair <how>', 'make-valid: split self-crossing township polygons as ST_MakeValid would')
  .option('--urban-rule <rule>', 'unit-type | urban-area | density | input')
  .option('--urban-area <file>', 'urban-area polygons, for --urban-rule urban-area')
  .option('--config <file>', 'JSON overriding any preset value')
  .option('--speeds <file>', 'JSON speed table merged over the defaults')
  .option('--cell-size <m>', 'grid cell size in metres (default 100)')
  .option('--max-snap <m>', 'farthest a point may be from a road (default 500)')
  .option('--format <list>', 'json,csv,html (default all three)')
  .requiredOption('--out <dir>', 'output folder')
  .option('--quiet', 'no progress output')
  .action(async (opts) => {
    const { reportCommand, reportSummaryLine } = await import('./report-command.ts');
    const { report, files } = await reportCommand(opts, createProgress(process.stderr, opts.quiet));
    process.stdout.write(reportSummaryLine(report, files));
  });

program.command('presets')
  .description('the circles and indicators built in, with their sources (assumed values marked)')
  .option('--config <file>', 'JSON overriding any preset value')
  .option('--json', 'as JSON')
  .action(async (opts) => {
    const { presetsCommand } = await import('./presets-command.ts');
    process.stdout.write(await presetsCommand(opts));
  });

program.addCommand(dbCommand());

program.command('worker')
  .description('run the service\'s background jobs from its PostgreSQL queue (start one per machine; any number may run)')
  .requiredOption('--db <url>', 'the service\'s DATABASE_URL, postgres://…')
  .option('--threads <n>', 'engine worker threads (default: cores − 1, at least 1)')
  .action(async (opts) => {
    const { workerCommand } = await import('./worker-command.ts');
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    await workerCommand(opts, stop.signal, (m) => process.stderr.write(`${m}\n`));
  });

// every command that writes files checks its --out first
program.hook('preAction', async (_program, action) => {
  const out = action.opts().out;
  // `map` writes one file: its folder is what must be writable
  if (typeof out === 'string') await checkOutDir(action.name() === 'map' ? dirname(out) : out);
});

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`lifecircle: ${e.message.split('\n')[0]}\n`);
  process.exitCode = 2;
});
