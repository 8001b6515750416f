import cliProgress from 'cli-progress';

/**
 * Step reporter for the CLI: a bar on a terminal for steps that report fractions, and one line per finished
 * step with its duration, so logs of long runs say where time went.
 */
export interface Progress {
  step(name: string, fraction?: number): void;
  /** a line the planner should read even with --quiet */
  warn(message: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  let current: string | null = null;
  let started = 0;
  let bar: cliProgress.SingleBar | null = null;
  const finish = () => {
    if (current === null) return;
    if (bar) { bar.update(100); bar.stop(); bar = null; }
    const s = (performance.now() - started) / 1000;
    if (!quiet) stream.write(`  ${current} … ${s < 0.1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(1)} s`}\n`);
    current = null;
  };
  return {
    step(name, fraction) {
      if (name !== current) {
        finish();
        current = name;
        started = performance.now();
      }
      // only a terminal gets a bar, and only once a step has run for a second
      if (fraction !== undefined && !quiet && stream.isTTY && performance.now() - started > 1000) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ format: `  ${name} [{bar}] {percentage}%`, stream, clearOnComplete: true }, cliProgress.Presets.shades_classic);
          bar.start(100, 0);
        }
        bar.update(Math.round(fraction * 100));
      }
    },
    warn(message) {
      stream.write(`  warning: ${message}\n`);
    },
    done: finish,
  };
}
