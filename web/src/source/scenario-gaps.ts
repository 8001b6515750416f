import type { ChangedGaps, GapCollection } from './api-types.ts';

/**
 * The scenario's gaps from the baseline's and the what-if's changes: the townships the edits touched take the
 * what-if's polygons, every other gap is kept, and all take the scenario's ranks.
 *
 * @example store.set({ gaps: mergeChangedGaps(runGaps, result.gapsChanged) });
 */
export function mergeChangedGaps(base: GapCollection, changed: ChangedGaps): GapCollection {
  const touched = new Set(changed.townships);
  const rank = new Map(changed.order.map((id, i) => [id, i + 1]));
  const features = [...base.features.filter((f) => !touched.has(f.properties.township_code)), ...changed.features]
    .filter((f) => rank.has(f.properties.gap_id))
    .map((f) => (rank.get(f.properties.gap_id) === f.properties.rank ? f : { ...f, properties: { ...f.properties, rank: rank.get(f.properties.gap_id)! } }));
  features.sort((a, b) => a.properties.rank - b.properties.rank);
  return { type: 'FeatureCollection', features };
}
