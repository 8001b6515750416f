/**
 * Which facilities exist, where (in which township, at a seat, a village or in the county core) and how big.
 * Counts follow a county of 742,747 people; shortfalls are built in on purpose and vary by township, so the
 * product has something true to find (see indicators.ts for what they come to).
 */
import { createRng } from './random.ts';
import type { Township } from './townships.ts';
import type { VillageSite } from './settlements.ts';

export interface TownshipStats {
  population: number;
  aged60: number;
  urban: number;
  households: number;
}

export type Where = { at: 'core'; central: boolean } | { at: 'seat' } | { at: 'site'; site: number };

export interface PlannedFacility {
  category: string;
  name: string;
  township: number;
  where: Where;
  ownership?: 'public' | 'private';
  fields: Record<string, number | boolean | string>;
}

const BRAND = ['康宁', '福寿', '安康', '颐和', '金色阳光', '夕阳红', '春晖', '幸福里', '童心', '小太阳', '彩虹', '启航', '博雅', '育英', '阳光', '蓓蕾', '爱心', '星辰', '晨曦', '嘉禾'];

/**
 * The facility list, before placement.
 *
 * @example const plan = planFacilities(zones, villages, stats, 20240601);
 */
export function planFacilities(zones: Township[], sites: VillageSite[], stats: TownshipStats[], seed: number): PlannedFacility[] {
  const rng = createRng(seed, 'facility-plan');
  const out: PlannedFacility[] = [];
  let brand = 0;
  const nextBrand = () => BRAND[brand++ % BRAND.length];
  const add = (category: string, name: string, township: number, where: Where, fields: PlannedFacility['fields'], ownership?: 'public' | 'private') =>
    out.push({ category, name, township, where, ownership, fields });
  const int = (a: number, b: number) => rng.int(a, b);
  const round10 = (v: number) => Math.round(v / 10) * 10;
  const jl = zones.findIndex((z) => z.name === '九龙街道'), cy = zones.findIndex((z) => z.name === '朝阳街道');
  const core = (central = false): Where => ({ at: 'core', central });
  const seat: Where = { at: 'seat' };
  const towns = zones.map((z, i) => i).filter((i) => !zones[i].urban);
  const bySize = towns.slice().sort((a, b) => stats[b].population - stats[a].population || a - b);
  const sitesOf = (ti: number, kind: VillageSite['kind']) => sites.map((s, k) => ({ s, k })).filter(({ s }) => s.township === ti && s.kind === kind);
  const at = (k: number): Where => ({ at: 'site', site: k });
  const tname = (ti: number) => zones[ti].name;

  // design choices, reported in metadata: which towns are strong or weak on which rule
  const subCentres = bySize.slice(0, 5);
  const secondHospitalTown = bySize[0];
  const smallest = bySize.slice(-8);
  const noPublicKindergarten = rng.shuffle(smallest).slice(0, 3);
  const privateHomeTowns = rng.shuffle(bySize.slice(1, 14)).slice(0, 5);
  const sportsParkTowns = rng.shuffle(towns).slice(0, 8);
  const weakServiceTowns = new Set(rng.shuffle(towns).slice(0, 12));
  const complexTowns = new Set(bySize.slice(0, 8));
  const childcareTowns = bySize.slice(0, 9);

  // health
  add('county_hospital', '岳池县人民医院', jl, core(true), { beds: 1200, physicians: 430, nurses: 620 }, 'public');
  add('county_hospital', '岳池县中医医院', jl, core(true), { beds: 700, physicians: 235, nurses: 330 }, 'public');
  add('county_hospital', '岳池县妇幼保健院', cy, core(), { beds: 200, physicians: 88, nurses: 126 }, 'public');
  add('county_hospital', '岳池县第二人民医院', secondHospitalTown, seat, { beds: 320, physicians: 96, nurses: 128 }, 'public');
  for (const ti of towns) {
    const p = stats[ti].population / 1000;
    const sub = subCentres.indexOf(ti);
    const phys = sub >= 0 ? p * rng.range(2.65, 3.1) : p * rng.range(0.95, 1.85);
    const nurses = sub >= 0 ? p * rng.range(3.0, 3.6) : p * rng.range(1.1, 2.2);
    const name = sub >= 0 ? `${tname(ti)}中心卫生院` : `${tname(ti)}卫生院`;
    const fields: PlannedFacility['fields'] = { beds: round10(sub >= 0 ? p * 4.5 : p * rng.range(1.2, 2.4)), physicians: Math.round(phys), nurses: Math.round(nurses) };
    if (sub >= 0) { fields.subcentre = true; fields.grade = sub < 3 ? '二级' : '一级'; }
    add('health_center', name, ti, seat, fields, 'public');
  }
  for (const ti of [jl, cy]) {
    const p = stats[ti].population / 1000;
    add('community_health_center', `${tname(ti)}社区卫生服务中心`, ti, core(), { beds: round10(p * 0.2), physicians: Math.round(p * 0.12), nurses: Math.round(p * 0.14) }, 'public');
    const comms = sitesOf(ti, 'community');
    for (const { s, k } of rng.shuffle(comms).slice(0, ti === jl ? 5 : 2)) {
      add('community_health_station', `${s.name}卫生服务站`, ti, at(k), { physicians: int(2, 4), nurses: int(2, 5) }, 'public');
    }
  }
  sites.forEach((s, k) => {
    if (s.kind !== 'village' || rng.chance(0.05)) return;
    const physicians = rng.chance(0.35) ? 1 : 0;
    add('village_clinic', `${zones[s.township].name}${s.name}卫生室`, s.township, at(k), { staff: physicians + int(1, 3), physicians }, 'public');
  });

  // elderly care
  add('nursing_home', '岳池县社会福利院', jl, core(), { beds: 320, nursing_beds: 190 }, 'public');
  for (let k = 0; k < 4; k++) { const beds = round10(rng.range(100, 300)); add('nursing_home', `岳池县${nextBrand()}养老院`, k < 3 ? jl : cy, core(), { beds, nursing_beds: round10(beds * rng.range(0.45, 0.8)) }, 'private'); }
  for (const ti of towns) {
    if (rng.chance(0.55)) { const beds = round10(rng.range(40, 130)); add('nursing_home', `${tname(ti)}敬老院`, ti, seat, { beds, nursing_beds: round10(beds * rng.range(0.05, 0.35)) }, 'public'); }
    if (privateHomeTowns.includes(ti)) { const beds = round10(rng.range(150, 270)); add('nursing_home', `${tname(ti)}${nextBrand()}颐养院`, ti, seat, { beds, nursing_beds: round10(beds * rng.range(0.55, 0.85)) }, 'private'); }
  }
  for (const ti of [jl, jl, cy, ...towns.filter((t) => complexTowns.has(t))]) {
    const beds = round10(rng.range(20, 60));
    const name = zones[ti].urban ? `${tname(ti)}${out.filter((f) => f.category === 'elderly_complex' && f.township === ti).length ? '城北' : ''}社区养老服务综合体` : `${tname(ti)}养老服务综合体`;
    add('elderly_complex', name, ti, zones[ti].urban ? core() : seat, { beds, nursing_beds: round10(beds * rng.range(0.3, 0.6)) }, 'public');
  }
  sites.forEach((s, k) => {
    const urbanComm = s.kind === 'community';
    if (urbanComm ? rng.chance(0.2) : !rng.chance(0.05)) return;
    add('elderly_station', `${s.name}养老服务站`, s.township, at(k), { beds: urbanComm ? int(0, 8) : int(0, 4) }, 'public');
  });
  for (const { s, k } of [...sitesOf(jl, 'community'), ...sitesOf(cy, 'community')]) {
    if (rng.chance(0.45)) add('day_care_center', `${s.name}日间照料中心`, s.township, at(k), { beds: int(6, 20) }, 'public');
    if (rng.chance(0.75)) add('meal_point', `${s.name}老年助餐点`, s.township, at(k), { meals_per_day: round10(rng.range(40, 200)) }, 'public');
  }
  for (const ti of bySize.slice(0, 13)) add('day_care_center', `${tname(ti)}日间照料中心`, ti, seat, { beds: int(6, 16) }, 'public');
  for (const ti of bySize.slice(0, 18)) add('meal_point', `${tname(ti)}老年食堂`, ti, seat, { meals_per_day: round10(rng.range(40, 150)) }, 'public');
  sites.forEach((s, k) => { if (s.kind === 'village' && rng.chance(0.2)) add('mutual_aid_home', `${s.name}互助幸福院`, s.township, at(k), { beds: int(0, 6) }, 'public'); });

  // pre-school, childcare and schools
  const kg = (name: string, ti: number, where: Where, own: 'public' | 'private', places: number) => add('kindergarten', name, ti, where, { places: round10(places) }, own);
  ['岳池县第一幼儿园', '岳池县第二幼儿园', '岳池县实验幼儿园', '岳池县机关幼儿园', '九龙街道中心幼儿园', '岳池县城北幼儿园'].forEach((n) => kg(n, jl, core(), 'public', rng.range(270, 450)));
  ['朝阳街道中心幼儿园', '岳池县第三幼儿园'].forEach((n) => kg(n, cy, core(), 'public', rng.range(240, 400)));
  for (let k = 0; k < 14; k++) kg(`岳池县${nextBrand()}幼儿园`, jl, core(), 'private', rng.range(90, 270));
  for (let k = 0; k < 5; k++) kg(`岳池县${nextBrand()}幼儿园`, cy, core(), 'private', rng.range(90, 240));
  for (const ti of towns) {
    if (!noPublicKindergarten.includes(ti)) kg(`${tname(ti)}中心幼儿园`, ti, seat, 'public', rng.range(150, 330));
    const nPrivate = Math.max(1, Math.round((stats[ti].urban / 1300) * rng.range(0.7, 1.3)));
    for (let k = 0; k < nPrivate; k++) kg(`${tname(ti)}${nextBrand()}幼儿园`, ti, seat, 'private', rng.range(60, 210));
  }
  sites.forEach((s, k) => {
    if (s.kind !== 'village' || zones[s.township].urban || noPublicKindergarten.includes(s.township) || !rng.chance(0.1)) return;
    kg(`${s.name}幼儿园`, s.township, at(k), 'public', rng.range(30, 90));
  });
  const cc = (name: string, ti: number, where: Where, own: 'public' | 'private', slots: number, affordable: boolean) => add('childcare', name, ti, where, { slots: round10(slots), affordable }, own);
  cc('岳池县妇幼保健院托育园', jl, core(), 'public', 80, true);
  cc('九龙街道普惠托育中心', jl, core(), 'public', 60, true);
  for (let k = 0; k < 6; k++) cc(`${nextBrand()}托育中心`, jl, core(), 'private', rng.range(20, 60), k === 0);
  for (let k = 0; k < 3; k++) cc(`${nextBrand()}托育园`, cy, core(), 'private', rng.range(20, 50), false);
  childcareTowns.forEach((ti, k) => cc(`${tname(ti)}${k < 2 ? '普惠' : ''}托育点`, ti, seat, k < 2 ? 'public' : 'private', rng.range(30, 80), k < 2));

  const school = (cat: string, name: string, ti: number, where: Where, places: number) => add(cat, name, ti, where, { places: round10(places) }, 'public');
  ['岳池县第一小学', '岳池县第二小学', '岳池县第三小学', '岳池县实验小学', '岳池县城北小学', '岳池县城南小学', '岳池县九龙小学', '岳池县东湖小学', '岳池县西城小学'].forEach((n) => school('primary_school', n, jl, core(), rng.range(1800, 3600)));
  ['岳池县朝阳小学', '岳池县城东小学', '岳池县第四小学'].forEach((n) => school('primary_school', n, cy, core(), rng.range(1500, 3000)));
  ['岳池县第二初级中学', '岳池县第三初级中学', '岳池县第四初级中学', '岳池县九龙初级中学', '岳池县实验中学'].forEach((n) => school('middle_school', n, jl, core(), rng.range(1500, 3000)));
  ['岳池县朝阳初级中学', '岳池县城东初级中学'].forEach((n) => school('middle_school', n, cy, core(), rng.range(1200, 2400)));
  for (const ti of towns) {
    school('primary_school', `${tname(ti)}中心小学`, ti, seat, stats[ti].population * rng.range(0.035, 0.05));
    if (zones[ti].type === '镇' && (stats[ti].population > 15000 || rng.chance(0.6))) school('middle_school', `${tname(ti)}初级中学`, ti, seat, stats[ti].population * rng.range(0.025, 0.04));
  }
  sites.forEach((s, k) => {
    if (s.kind === 'village' && !zones[s.township].urban && rng.chance(0.14)) school('primary_school', `${tname(s.township)}${s.name}小学`, s.township, at(k), rng.range(60, 320));
  });

  // culture
  add('culture_center', '岳池县文化馆', jl, core(true), { floor_area_m2: 4200 }, 'public');
  add('culture_center', '岳池县图书馆', jl, core(true), { floor_area_m2: 6100 }, 'public');
  add('culture_center', '岳池县图书馆朝阳分馆', cy, core(), { floor_area_m2: 820 }, 'public');
  for (const { s, k } of [...sitesOf(jl, 'community'), ...sitesOf(cy, 'community')]) {
    if (rng.chance(0.4)) add('culture_center', `${s.name}文化活动中心`, s.township, at(k), { floor_area_m2: round10(rng.range(300, 800)) }, 'public');
  }
  for (let k = 0; k < 4; k++) add('culture_center', `${nextBrand()}城市书房`, k < 3 ? jl : cy, core(), { floor_area_m2: round10(rng.range(150, 320)) }, 'public');
  zones.forEach((z, ti) => add('culture_station', `${z.name}综合文化站`, ti, z.urban ? core() : seat, { floor_area_m2: round10(rng.range(300, 1200)) }, 'public'));
  sites.forEach((s, k) => { if (s.kind === 'village' && rng.chance(0.9)) add('culture_room', `${s.name}综合性文化服务中心`, s.township, at(k), { floor_area_m2: round10(rng.range(60, 300)) }, 'public'); });

  // sport: school grounds count (they open to the public in the plan), plus plazas, parks and village courts
  const sg = (name: string, ti: number, where: Where, area: number) => add('sports_ground', name, ti, where, { area_m2: round10(area) }, 'public');
  sg('岳池县体育场', jl, core(), 42000);
  sg('岳池县全民健身中心', cy, core(), 18500);
  for (const f of out.filter((f) => f.category === 'middle_school' || (f.category === 'primary_school' && f.where.at !== 'site'))) {
    sg(`${f.name}运动场`, f.township, f.where, f.category === 'middle_school' ? rng.range(7000, 16000) : rng.range(3000, 8000));
  }
  for (const ti of towns) {
    sg(`${tname(ti)}全民健身广场`, ti, seat, rng.range(2500, 9000));
    if (sportsParkTowns.includes(ti)) sg(`${tname(ti)}体育公园`, ti, seat, stats[ti].population * rng.range(0.9, 1.4));
  }
  sites.forEach((s, k) => {
    if (s.kind === 'village' ? rng.chance(0.7) : rng.chance(0.5)) sg(`${s.name}健身广场`, s.township, at(k), s.kind === 'village' ? rng.range(300, 1500) : rng.range(200, 1000));
  });

  // community services and markets
  for (const ti of [jl, cy]) add('community_service_center', `${tname(ti)}便民服务中心`, ti, core(), { floor_area_m2: round10(rng.range(1500, 2500)) }, 'public');
  for (const ti of towns) add('community_service_center', `${tname(ti)}便民服务中心`, ti, seat, { floor_area_m2: round10(rng.range(400, 1200)) }, 'public');
  sites.forEach((s, k) => {
    const z = zones[s.township];
    if (s.kind === 'community') {
      const area = z.urban ? rng.range(s.township === jl ? 250 : 600, s.township === jl ? 700 : 1200) : rng.range(200, 600);
      add('community_service_center', `${s.name}综合服务中心`, s.township, at(k), { floor_area_m2: round10(area) }, 'public');
    } else {
      const weak = weakServiceTowns.has(s.township) || (z.urban && s.township === jl);
      if (weak && rng.chance(0.45)) return;
      add('village_service_station', `${s.name}便民服务站`, s.township, at(k), { floor_area_m2: round10(weak ? rng.range(40, 110) : rng.range(120, 350)) }, 'public');
    }
  });
  for (let k = 0; k < 8; k++) add('market', `${nextBrand()}农贸市场`, jl, core(), { floor_area_m2: round10(rng.range(1500, 6000)) }, 'public');
  for (let k = 0; k < 3; k++) add('market', `朝阳${['东', '南', '北'][k]}农贸市场`, cy, core(), { floor_area_m2: round10(rng.range(1200, 4000)) }, 'public');
  for (const ti of towns) add('market', `${tname(ti)}农贸市场`, ti, seat, { floor_area_m2: round10(rng.range(600, 2500)) }, 'public');

  // emergency
  add('fire_station', '岳池县消防救援大队特勤站', jl, core(), { vehicles: 10, firefighters: 45 }, 'public');
  add('fire_station', '岳池县城南消防救援站', cy, core(), { vehicles: 6, firefighters: 28 }, 'public');
  for (const ti of bySize.slice(0, 4)) add('fire_station', `${tname(ti)}专职消防站`, ti, seat, { vehicles: int(2, 4), firefighters: int(12, 20) }, 'public');
  add('emergency_base', '岳池县应急救援基地', cy, core(), { floor_area_m2: 6800 }, 'public');
  add('emergency_base', '岳池县应急物资储备库', bySize[1], seat, { floor_area_m2: 3200 }, 'public');
  return out;
}
