import { Command } from 'commander';
import { analyzeCommand } from './analyze-command.ts';
import { createProgress } from './progress.ts';

const program = new Command();
program.name('lifecircle').description('生活圈 lifecircle: service-circle accessibility for public-service planning');

program
  .command('analyze')
  .description('travel time from every populated cell to the nearest facility, and the coverage it gives')
  .requiredOption('--population <file>', 'GeoTIFF, CSV points (lon,lat,population[,population_60plus]) or GeoJSON polygons')
  .requiredOption('--facilities <file>', 'GeoJSON points or CSV with lon,lat[,id,name,category,capacity]')
  .option('--roads <file>', 'OSM PBF or GeoJSON LineStrings with highway tags (needed unless --mode straight)')
  .option('--units <file>', 'admin-unit polygons (GeoJSON) for per-unit rows')
  .requiredOption('--mode <mode>', 'walk | elderly-walk | bike | car | straight')
  .option('--minutes <n>', 'threshold in minutes')
  .option('--meters <n>', 'threshold in metres (network or straight-line distance)')
  .option('--speeds <file>', 'JSON speed table merged over the defaults')
  .option('--where <expr>', 'keep facilities matching FIELD OP VALUE, e.g. healthcare>0')
  .option('--category <id>', 'keep facilities of one category')
  .option('--max-snap <m>', 'farthest a point may be from a road and still join it (default 500)')
  .option('--cell-size <m>', 'grid cell size in metres (default 100)')
  .requiredOption('--out <dir>', 'folder for summary.json and cells.csv')
  .option('--quiet', 'no progress output')
  .action(async (opts) => {
    const progress = createProgress(process.stderr, opts.quiet);
    const r = await analyzeCommand(opts, progress);
    const p = r.summary.population;
    const pct = p.coveredShare === null ? '–' : `${(p.coveredShare * 100).toFixed(1)} %`;
    process.stdout.write(`covered ${Math.round(p.covered)} of ${Math.round(p.total)} residents (${pct}); uncovered ${Math.round(p.uncovered)}; written to ${opts.out}\n`);
  });

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`lifecircle: ${e.message.split('\n')[0]}\n`);
  process.exitCode = 2;
});
