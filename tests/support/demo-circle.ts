import { circleOfPreset, type Circle } from '../../analysis/circles/circle.ts';
import { networkPreparer } from '../../analysis/circles/network-preparer.ts';
import { runCircle, type CircleInputs, type CircleResult } from '../../analysis/circles/run-circle.ts';
import { buildRoadNetwork } from '../../analysis/network/road-network.ts';
import { defaultStandards } from '../../analysis/standards/presets.ts';
import { loadYuechiDemo, type YuechiDemo } from '../../server/io/load-demo.ts';

/**
 * The Yuechi demo with one preset's circle run on it: the inputs (graphs built on first use) and the base result.
 *
 * @example const { demo, inputs, base } = await demoCircle('elderly-care-15min');
 */
export async function demoCircle(preset: string): Promise<{ demo: YuechiDemo; circle: Circle; inputs: CircleInputs; base: CircleResult }> {
  const demo = await loadYuechiDemo();
  const standards = defaultStandards();
  const circle = circleOfPreset(standards.circles.find((c) => c.id === preset)!, standards);
  const inputs = { grid: demo.grid, facilities: demo.facilities, network: networkPreparer(buildRoadNetwork(demo.roadSource), demo.grid) };
  return { demo, circle, inputs, base: runCircle(inputs, circle) };
}
