/** Best and median of `repeats` runs after one warm-up; the value of the last run. */
export function timeRuns<T>(fn: () => T, repeats = 5): { best: number; median: number; max: number; value: T } {
  let value = fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    value = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)], max: times[times.length - 1], value };
}
