/**
 * What one new site of each category costs, in 万元 (10,000 CNY), for the budget goal of suggested sites.
 * Every figure is an assumed placeholder of the right order (a station fitted out in rented space, a complex
 * built new), to be replaced by the bureau's own unit costs in the config (`siteCosts`).
 */
export const DEFAULT_SITE_COSTS: Readonly<Record<string, number>> = {
  meal_point: 10, mutual_aid_home: 15, elderly_station: 30, day_care_center: 80, nursing_home: 1500, elderly_complex: 500,
  village_clinic: 20, community_health_station: 60, community_health_center: 600, health_center: 800, county_hospital: 20_000,
  childcare: 100, kindergarten: 600, primary_school: 3000, middle_school: 5000,
  culture_room: 10, culture_station: 100, culture_center: 1500, sports_ground: 50,
  village_service_station: 20, community_service_center: 150, fire_station: 1500, emergency_base: 3000, market: 200,
};

export const SITE_COSTS_NOTE = 'site costs per category in 万元 are assumed placeholders (analysis/standards/site-costs.ts); replace them with the bureau\'s unit costs';
