import { defaultStandards, describeReach, standardCategories, type CirclePreset, type Reach, type Standards } from '../../../analysis/standards/presets.ts';
import { AppError } from '../../app/app-error.ts';

// the default rule book; a configured one (preset-config.ts) can replace it here later
let standards: Standards | null = null;

function rules(): Standards {
  standards ??= defaultStandards();
  return standards;
}

/** The shared settings of the rule book: default coverage target and the class unknown cells take. */
export function standardSettings(): Pick<Standards, 'coverageTarget' | 'unknownClassAs'> {
  const s = rules();
  return { coverageTarget: s.coverageTarget, unknownClassAs: s.unknownClassAs };
}

/**
 * A circle preset by id (e.g. 'elderly-care-15min'); an unknown id is a 400 listing the known ones.
 *
 * @example findPreset('elderly-care-15min').urban // { mode: 'elderly-walk', minutes: 15 }
 */
export function findPreset(id: string): CirclePreset {
  const found = rules().circles.find((c) => c.id === id);
  if (!found) {
    const known = rules().circles.map((c) => c.id);
    throw new AppError('validation_failed', `field 'preset': expected one of ${known.join(', ')}, found '${id}'`, { field: 'preset', expected: known.join(', '), found: id });
  }
  return found;
}

/** Categories the rule book's circles and indicators count; an import may use these without adding one. */
export function knownCategories(): Set<string> {
  return standardCategories(rules());
}

/** Presets as the API lists them. */
export function listPresets(): Array<Pick<CirclePreset, 'id' | 'zh' | 'en' | 'services' | 'require' | 'urban' | 'rural' | 'population' | 'source' | 'assumed' | 'notes'> & { coverageTarget: number; text: { urban: ReturnType<typeof describeReach> | null; rural: ReturnType<typeof describeReach> | null } }> {
  const s = rules();
  return s.circles.map((c) => ({
    id: c.id, zh: c.zh, en: c.en, services: c.services, require: c.require, urban: c.urban, rural: c.rural,
    population: c.population, coverageTarget: c.coverageTarget ?? s.coverageTarget, source: c.source, assumed: c.assumed, notes: c.notes,
    text: { urban: c.urban && describeReach(c.urban), rural: c.rural && describeReach(c.rural) },
  }));
}

export type { CirclePreset, Reach };
