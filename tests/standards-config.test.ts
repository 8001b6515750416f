// Config overrides: every expected value is the one written in the override itself or the STANDARDS.md
// default it leaves alone; error tests check the message names the bad key and what was expected.
import { describe, expect, it } from 'vitest';
import { applyStandardsConfig } from '../analysis/standards/preset-config.ts';
import { defaultStandards } from '../analysis/standards/presets.ts';

const apply = (config: unknown) => applyStandardsConfig(defaultStandards(), config, 'plan.json');
const circle = (s: ReturnType<typeof apply>, id: string) => s.circles.find((c) => c.id === id)!;

describe('overriding presets from JSON', () => {
  it('changes one threshold and keeps the rest', () => {
    const s = apply({ circles: { 'elderly-care-15min': { urban: { minutes: 10 } } } });
    const c = circle(s, 'elderly-care-15min');
    expect(c.urban).toEqual({ mode: 'elderly-walk', minutes: 10 });
    expect(c.rural).toEqual({ mode: 'elderly-walk', minutes: 15 }); // STANDARDS.md default, untouched
    expect(c.configured).toEqual(['urban.minutes']);
    // the speed assumption is about the mode, which the file did not set
    expect(Object.keys(c.assumed)).toContain('urban.mode');
  });

  it('switches a reach from minutes to metres', () => {
    const s = apply({ circles: { 'culture-urban-15min': { urban: { meters: 1000 } } } });
    expect(circle(s, 'culture-urban-15min').urban).toEqual({ mode: 'walk', meters: 1000 });
  });

  it('drops the assumed note of a value the file sets', () => {
    const s = apply({ circles: { 'tdt1062-rural-township': { rural: { minutes: 45 } } } });
    const c = circle(s, 'tdt1062-rural-township');
    expect(c.rural).toEqual({ mode: 'car', minutes: 45 });
    expect(c.assumed['rural.minutes']).toBeUndefined();
  });

  it('sets the default coverage target for every circle that has none of its own', () => {
    const s = apply({ coverageTarget: 0.8, circles: { 'emergency-2h': { coverageTarget: 0.99 } } });
    expect(s.coverageTarget).toBe(0.8);
    expect(s.assumed.coverageTarget).toBeUndefined();
    expect(circle(s, 'basic-public-service').assumed.coverageTarget).toBeUndefined();
    expect(circle(s, 'emergency-2h').coverageTarget).toBe(0.99);
  });

  it('changes an indicator target and a decay kind', () => {
    const s = apply({ indicators: { 'sports-area-per-resident': { target: 2.3 }, 'elderly-beds-access': { decay: { kind: 'gaussian' } } } });
    const sports = s.indicators.find((i) => i.id === 'sports-area-per-resident')!;
    expect(sports.kind === 'ratio' && sports.target).toBe(2.3);
    const beds = s.indicators.find((i) => i.id === 'elderly-beds-access')!;
    expect(beds.kind === 'capacity' && beds.decay).toEqual({ kind: 'gaussian' });
  });

  it('replaces a category list and a where filter', () => {
    const s = apply({ indicators: { 'public-kindergarten': { facilities: { where: { field: 'owner', in: ['gov'] } } } } });
    const kg = s.indicators.find((i) => i.id === 'public-kindergarten')!;
    expect(kg.kind === 'presence' && kg.facilities).toEqual({ categories: ['kindergarten'], where: [{ field: 'owner', in: ['gov'] }] });
  });

  it('adds a new circle and removes presets by id', () => {
    const s = apply({
      remove: ['county-medical-30min', 'nurses'],
      circles: {
        'pharmacy-10min': {
          zh: '10分钟药店圈', en: '10-minute pharmacy circle', services: [{ id: 'pharmacy', categories: ['pharmacy'] }],
          require: 'any', urban: { mode: 'walk', minutes: 10 }, rural: null, population: 'all', source: 'local plan 2025',
        },
      },
    });
    expect(s.circles.map((c) => c.id)).not.toContain('county-medical-30min');
    expect(s.indicators.map((i) => i.id)).not.toContain('nurses');
    const p = circle(s, 'pharmacy-10min');
    expect(p.services[0]).toEqual({ id: 'pharmacy', zh: 'pharmacy', en: 'pharmacy', categories: ['pharmacy'] });
    expect(p.configured).toEqual(['(added)']);
  });

  it('sets the density rule\'s thresholds', () => {
    const s = apply({ densityRule: { minDensity: 1500, diagonal: false } });
    // Degree of Urbanisation defaults for the rest: 1 km blocks, clusters of 5,000
    expect(s.densityRule).toEqual({ blockMeters: 1000, minDensity: 1500, minClusterPopulation: 5000, diagonal: false });
    expect(s.configured).toEqual(['densityRule.minDensity', 'densityRule.diagonal']);
    expect(() => apply({ densityRule: { density: 1 } })).toThrow(/densityRule: unknown key "density"/);
  });

  it('does not touch the rule book it was given', () => {
    const base = defaultStandards();
    applyStandardsConfig(base, { circles: { 'gb50180-5min': { urban: { minutes: 4 } } } });
    expect(base.circles.find((c) => c.id === 'gb50180-5min')!.urban).toEqual({ mode: 'walk', minutes: 5 });
  });
});

describe('bad config files fail naming the key', () => {
  it.each<[string, unknown, RegExp]>([
    ['unknown top-level key', { coverageTarge: 0.9 }, /plan\.json: unknown key "coverageTarge"/],
    ['unknown key in a reach', { circles: { 'gb50180-5min': { urban: { minute: 4 } } } }, /circles\.gb50180-5min\.urban: unknown key "minute"; expected mode, minutes, meters/],
    ['unknown key in a circle', { circles: { 'emergency-2h': { threshold: 60 } } }, /circles\.emergency-2h: unknown key "threshold"/],
    ['unknown key in an indicator', { indicators: { physicians: { goal: 3 } } }, /indicators\.physicians: unknown key "goal"/],
    ['a share given as a percentage', { coverageTarget: 90 }, /coverageTarget: expected a share between 0 and 1 \(0\.9 = 90 %\), found 90/],
    ['an unknown mode', { circles: { 'emergency-2h': { urban: { mode: 'helicopter' } } } }, /urban\.mode: expected one of walk, elderly-walk, bike, car, straight, found 'helicopter'/],
    ['a negative target', { indicators: { nurses: { target: -1 } } }, /indicators\.nurses\.target: expected a number >= 0, found -1/],
    ['removing an unknown id', { remove: ['no-such'] }, /remove: no circle or indicator has id "no-such"/],
    ['a new circle missing its source', { circles: { x: { zh: '圈', en: 'x', services: [{ id: 'a', categories: ['market'] }], require: 'any', urban: null, rural: { mode: 'walk', minutes: 5 }, population: 'all' } } }, /circles\.x: "source" is missing/],
    ['a rural-only group with an urban reach', { circles: { 'culture-rural-10li': { urban: { mode: 'walk', minutes: 15 } } } }, /population "rural" judges rural residents only, so urban must be null/],
    ['both classes switched off', { circles: { 'emergency-2h': { urban: null, rural: null } } }, /urban and rural are both null/],
    ['steps without weights', { indicators: { 'elderly-beds-access': { decay: { kind: 'steps', breaks: [0.5, 1] } } } }, /decay: steps need "breaks" and "weights"/],
    ['not an object', [1, 2], /plan\.json: expected a JSON object/],
    ['the program-filled list', { circles: { 'emergency-2h': { configured: [] } } }, /unknown key "configured"/],
  ])('%s', (_name, config, message) => {
    expect(() => apply(config)).toThrow(message);
  });
});
