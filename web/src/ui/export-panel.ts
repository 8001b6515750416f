import type { Map as MapLibreMap } from 'maplibre-gl';
import { chooseGkZone, getCrs } from '../../../analysis/crs/crs-registry.ts';
import type { ApiClient } from '../source/api-client.ts';
import type { RegionData } from '../source/region-data.ts';
import { dataAttribution } from '../style/basemap-style.ts';
import type { Store } from './app-state.ts';
import { el, fill } from './element.ts';
import type { Controller } from './controller.ts';
import { lang, onLangChange, pick, t, type MessageKey } from './i18n.ts';
import { legendItems } from './legend-items.ts';
import { mapPng } from './map-png.ts';

/** The CRS a bureau may want: WGS84, CGCS2000 and the Gauss-Krüger zones the region falls in (both, at an edge). */
function crsChoices(bbox: [number, number, number, number]): Array<{ name: string; title: string; note?: string }> {
  const choice = chooseGkZone(bbox);
  const zones = [choice.crs.name];
  const neighbour = choice.warning?.en.match(/may use (EPSG:\d+)/)?.[1];
  if (neighbour) zones.push(neighbour);
  return [
    { name: 'EPSG:4326', title: 'WGS 84 (EPSG:4326)' },
    { name: 'EPSG:4490', title: 'CGCS2000 (EPSG:4490)' },
    ...zones.map((z, i) => ({ name: z, title: getCrs(z).title ?? z, note: i === 0 ? (choice.warning ? pick(choice.warning) : undefined) : undefined })),
  ];
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Exports of the current run: gap polygons as GeoJSON (in a chosen CRS) or Shapefile (with its encoding), the
 * report as CSV and Excel, the printable map sheet as PDF (A4/A3), and the map as a PNG with legend, scale and attribution.
 *
 * @example mountExportPanel(section, store, api, map, data);
 */
export function mountExportPanel(host: HTMLElement, store: Store, api: ApiClient, map: MapLibreMap, data: RegionData, controller: Pick<Controller, 'exportRun'>): void {
  const choices = crsChoices(data.bbox);
  const crs = el('select', { id: 'export-crs', 'data-testid': 'export-crs' }, ...choices.map((c) => el('option', { value: c.name }, c.title)));
  const crsLabel = el('label', { for: 'export-crs' });
  const note = el('p', { className: 'muted small' });
  const encoding = el('select', { id: 'export-encoding' }, el('option', { value: 'GBK' }, 'GBK'), el('option', { value: 'UTF-8' }, 'UTF-8'));
  const encodingLabel = el('label', { for: 'export-encoding' });
  const sheet = el('select', { id: 'export-sheet', 'data-testid': 'export-sheet' },
    ...['A4-landscape', 'A4-portrait', 'A3-landscape', 'A3-portrait'].map((v) => el('option', { value: v }, v.replace('-landscape', ' 横 landscape').replace('-portrait', ' 竖 portrait'))));
  const sheetLabel = el('label', { for: 'export-sheet' });
  const links = el('div', { className: 'export-links' });
  const png = el('button', { type: 'button', 'data-testid': 'export-png' });
  host.append(crsLabel, crs, note, encodingLabel, encoding, sheetLabel, sheet, links, png);

  crs.addEventListener('change', render);
  encoding.addEventListener('change', render);
  png.addEventListener('click', async () => {
    const s = store.get();
    png.disabled = true;
    try {
      const title = `${data.region.name} · ${s.analysis?.summary.preset ? pick(s.analysis.summary.preset) : t('appTitle')}`;
      const subtitle = `${new Date().toLocaleDateString()}${s.edits.length ? ` · ${t('whatIf')}: ${s.scenario?.name ?? t('editCount', { n: s.edits.length })}` : ''}`;
      const footer = dataAttribution(data).replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))) + ' · MapLibre';
      const blob = await mapPng(map, { title, subtitle, footer, legend: legendItems(s, data), legendTitle: t('legend') });
      save(blob, `${data.region.name}-${s.selection.id}.png`);
    } catch (e) {
      store.set({ status: { kind: 'error', text: e instanceof Error ? e.message : String(e) } });
    } finally {
      png.disabled = false;
    }
  });

  // a download of the run shown: the what-if's scenario is filed first, so the files are the scenario's
  const download = async (kind: 'geojson' | 'shapefile' | 'csv' | 'xlsx' | 'gapsXlsx' | 'pdf') => {
    const run = await controller.exportRun();
    if (!run) return;
    // the sheet draws the sites the panel lists: the same suggestion asked again on the run
    const asked = store.get().sitesAsked;
    const l = api.exportLinks(run, { crs: crs.value, encoding: encoding.value as 'GBK' | 'UTF-8', lang: lang(), sheet: sheet.value, sites: store.get().suggestions.length > 0 ? asked : null });
    const scenario = run.summary.scenario ? `-${run.summary.scenario.name ?? t('scenarioUnsaved')}` : '';
    const base = `${data.region.name}-${run.preset ?? run.id}${scenario}`;
    const name = kind === 'pdf' ? `${base}-sheet-${sheet.value}.pdf` : kind === 'gapsXlsx' ? `${base}-gaps.xlsx` : kind === 'csv' || kind === 'xlsx' ? `${base}-report.${kind}` : `${base}-gaps-${crs.value.replace(':', '')}.${kind === 'geojson' ? 'geojson' : 'zip'}`;
    const a = el('a', { href: l[kind], download: name });
    document.body.append(a);
    a.click();
    a.remove();
  };

  function render(): void {
    const s = store.get();
    crsLabel.textContent = t('crs');
    encodingLabel.textContent = t('shapefileEncoding');
    sheetLabel.textContent = t('sheetLayout');
    png.textContent = t('exportPng');
    note.textContent = choices.find((c) => c.name === crs.value)?.note ?? '';
    if (s.selection.kind !== 'circle' || !s.analysis) return fill(links, el('p', { className: 'muted' }, '–'));
    const button = (kind: 'geojson' | 'shapefile' | 'csv' | 'xlsx' | 'gapsXlsx' | 'pdf', label: MessageKey) =>
      el('button', { type: 'button', className: 'button', 'data-testid': `export-${kind}`, onclick: () => void download(kind) }, t(label));
    fill(links,
      s.whatIf ? el('p', { className: 'muted small', 'data-testid': 'export-scenario-note' }, t('exportsOfScenario')) : null,
      button('geojson', 'exportGeojson'), button('shapefile', 'exportShapefile'), button('gapsXlsx', 'exportGapsXlsx'), button('csv', 'exportCsv'), button('xlsx', 'exportXlsx'), button('pdf', 'exportPdf'));
  }
  store.subscribe((_s, changed) => {
    if (changed.has('analysis') || changed.has('selection') || changed.has('whatIf')) render();
  });
  onLangChange(render);
  render();
}
