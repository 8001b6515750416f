import type { FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import bbox from '@turf/bbox';
import pointOnFeature from '@turf/point-on-feature';
import { findSheetFont, SHEET_FONT_PATHS } from './sheet-font.ts';

/** Everything a printed map sheet (专题图) shows; `server/features/exports/map-sheet.ts` fills it from a run. */
export interface MapSheetInput {
  title: string;
  subtitle?: string;
  paper: 'A4' | 'A3';
  orientation: 'landscape' | 'portrait';
  /** share: covered fraction of the circle's group, null for no data */
  townships: FeatureCollection<Polygon | MultiPolygon, { name: string; share: number | null }>;
  gaps: FeatureCollection<Polygon | MultiPolygon>;
  facilities: FeatureCollection<Point, { name?: string }>;
  sites?: FeatureCollection<Point, { rank: number }>;
  target: number | null;
  legend: { facilities: string; gaps: string; sites?: string; share: string };
  table: { head: string[]; rows: Array<Array<string | number | null>> };
  sources: string[];
  synthetic: boolean;
  date?: string;
}

type Doc = PDFKit.PDFDocument;
type Box = { x: number; y: number; w: number; h: number };

// points (1/72 inch) of ISO paper, portrait
const PAPER = { A4: [595.28, 841.89], A3: [841.89, 1190.55] } as const;
const M = 28;
const INK = '#222222', MUTED = '#666666';
const GAP = '#b2182b', FACILITY = '#2166ac', SITE = '#f1b500', NO_DATA = '#d9d9d9';

/** The ramp of the page's legend: red under half, orange to yellow up to the target, green at or above it. */
export function shareColour(share: number | null, target: number | null): string {
  if (share === null || !Number.isFinite(share)) return NO_DATA;
  const t = target ?? 0.9;
  if (share >= t) return '#66bd63';
  if (share < 0.5) return mix('#d73027', '#f46d43', share / 0.5);
  return mix('#fdae61', '#fee08b', (share - 0.5) / Math.max(1e-9, t - 0.5));
}

function mix(a: string, b: string, f: number): string {
  const p = (h: string, i: number) => parseInt(h.slice(1 + 2 * i, 3 + 2 * i), 16);
  const c = [0, 1, 2].map((i) => Math.round(p(a, i) + (p(b, i) - p(a, i)) * Math.max(0, Math.min(1, f))));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A printable map sheet as PDF, drawn as vectors with its text as text (a Chinese font embedded, so
 * `pdftotext` reads it): title, the map (townships by coverage, gaps, facilities, sites, labels that never
 * overlap), legend, scale bar, north arrow, sources, the synthetic-data label, and the township table beside
 * or below the map, or on a second page when it does not fit.
 *
 * @example const pdf = await mapSheetPdf(sheetInput(source, { paper: 'A4', orientation: 'landscape' }));
 */
export async function mapSheetPdf(input: MapSheetInput, options: { fontPath?: string; fontFamily?: string } = {}): Promise<Uint8Array> {
  if (!PAPER[input.paper]) throw new Error(`map sheet: paper must be A4 or A3, found '${input.paper}'`);
  if (input.orientation !== 'landscape' && input.orientation !== 'portrait') throw new Error(`map sheet: orientation must be landscape or portrait, found '${input.orientation}'`);
  if (input.townships.features.length === 0) throw new Error('map sheet: no townships to draw');
  const font = options.fontPath ? { path: options.fontPath, family: options.fontFamily } : findSheetFont();
  if (!font) throw new Error(`map sheet: no font with Chinese found (tried ${SHEET_FONT_PATHS.join(', ')}); install one (apt-get install fonts-wqy-microhei) or set LIFECIRCLE_SHEET_FONT`);
  const { default: PDFDocument } = await import('pdfkit');
  const [pw, ph] = input.orientation === 'landscape' ? [PAPER[input.paper][1], PAPER[input.paper][0]] : PAPER[input.paper];
  const doc = new PDFDocument({ size: [pw, ph], margin: M, autoFirstPage: true, info: { Title: input.title, Creator: 'lifecircle 生活圈' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((ok, fail) => { doc.on('end', ok); doc.on('error', fail); });
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');

  const scale = input.paper === 'A3' ? 1.25 : 1;
  doc.fillColor(INK).fontSize(16 * scale).text(input.title, M, M, { width: pw - 2 * M, lineBreak: false });
  let top = M + 20 * scale;
  if (input.subtitle) {
    doc.fillColor(MUTED).fontSize(9 * scale).text(input.subtitle, M, top, { width: pw - 2 * M, lineBreak: false });
    top += 13 * scale;
  }
  top += 4;
  const bodyH = ph - top - M;
  const landscape = input.orientation === 'landscape';
  const map: Box = landscape ? { x: M, y: top, w: (pw - 2 * M) * 0.62, h: bodyH } : { x: M, y: top, w: pw - 2 * M, h: bodyH * 0.6 };
  drawMap(doc, input, map, scale);

  // beside the map (landscape) or under it (portrait): legend, then the table if it fits, then sources
  const side: Box = landscape ? { x: map.x + map.w + 12, y: top, w: pw - M - (map.x + map.w + 12), h: bodyH } : { x: M, y: map.y + map.h + 10, w: pw - 2 * M, h: bodyH - map.h - 10 };
  const legendBox: Box = landscape ? { x: side.x, y: side.y, w: side.w, h: 0 } : { x: side.x, y: side.y, w: side.w * 0.36, h: 0 };
  const legendH = drawLegend(doc, input, legendBox, scale);
  const sourcesH = sourcesHeight(doc, input, landscape ? side.w : legendBox.w, scale);
  const tableBox: Box = landscape
    ? { x: side.x, y: side.y + legendH + 10, w: side.w, h: side.h - legendH - sourcesH - 20 }
    : { x: side.x + legendBox.w + 12, y: side.y, w: side.w - legendBox.w - 12, h: side.h };
  const sourcesAt = landscape ? { x: side.x, y: side.y + side.h - sourcesH, w: side.w } : { x: side.x, y: side.y + legendH + 8, w: legendBox.w };
  drawSources(doc, input, sourcesAt, scale);
  const rowH = 9.5 * scale;
  if ((input.table.rows.length + 1) * rowH <= tableBox.h) {
    drawTable(doc, input.table, tableBox, rowH, scale);
  } else {
    // a second page, the heading repeated on every page the table spans
    let rows = input.table.rows;
    while (rows.length > 0) {
      doc.addPage({ size: [pw, ph], margin: M });
      doc.font('cjk').fillColor(INK).fontSize(12 * scale).text(`${input.title} · 乡镇表 township table`, M, M, { width: pw - 2 * M, lineBreak: false });
      const box = { x: M, y: M + 22 * scale, w: pw - 2 * M, h: ph - 2 * M - 22 * scale };
      const fit = Math.max(1, Math.floor(box.h / rowH) - 1);
      drawTable(doc, { head: input.table.head, rows: rows.slice(0, fit) }, box, rowH, scale);
      rows = rows.slice(fit);
    }
  }
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Equirectangular, x shrunk by cos(mid-latitude): true shape at county scale; fitted into the frame. */
function projector(fc: FeatureCollection, frame: Box): { at: (p: Position) => [number, number]; metresPerPoint: number } {
  const [w, s, e, n] = bbox(fc);
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const pad = 14;
  const sx = (frame.w - 2 * pad) / Math.max(1e-9, (e - w) * k), sy = (frame.h - 2 * pad) / Math.max(1e-9, n - s);
  const f = Math.min(sx, sy);
  const ox = frame.x + (frame.w - (e - w) * k * f) / 2, oy = frame.y + (frame.h - (n - s) * f) / 2;
  return { at: (p) => [ox + (p[0] - w) * k * f, oy + (n - p[1]) * f], metresPerPoint: 111_320 / f };
}

function tracePolygons(doc: Doc, geometry: Polygon | MultiPolygon, at: (p: Position) => [number, number]): void {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) {
    for (const ring of rings) {
      ring.forEach((p, i) => { const [x, y] = at(p); if (i === 0) doc.moveTo(x, y); else doc.lineTo(x, y); });
      doc.closePath();
    }
  }
}

function star(doc: Doc, x: number, y: number, r: number): void {
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5, rr = i % 2 === 0 ? r : r * 0.45;
    if (i === 0) doc.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    else doc.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
  }
  doc.closePath();
}

function drawMap(doc: Doc, input: MapSheetInput, frame: Box, scale: number): void {
  const { at, metresPerPoint } = projector(input.townships, frame);
  doc.save().rect(frame.x, frame.y, frame.w, frame.h).fill('#f4f6f8').restore();
  doc.save().rect(frame.x, frame.y, frame.w, frame.h).clip();
  for (const f of input.townships.features) {
    tracePolygons(doc, f.geometry, at);
    doc.fillColor(shareColour(f.properties.share, input.target)).fill('even-odd');
  }
  for (const f of input.gaps.features) {
    if (!f.geometry) continue;
    tracePolygons(doc, f.geometry, at);
    doc.fillColor(GAP).fillOpacity(0.55).fill('even-odd');
  }
  doc.fillOpacity(1);
  for (const f of input.townships.features) {
    tracePolygons(doc, f.geometry, at);
    doc.lineWidth(0.6).strokeColor('#333333').stroke();
  }
  for (const f of input.facilities.features) {
    const [x, y] = at(f.geometry.coordinates);
    doc.circle(x, y, 1.6 * scale).lineWidth(0.3).fillAndStroke(FACILITY, '#ffffff');
  }
  // labels: township names at a point inside, skipped where they would overlap a placed one
  const placed: Box[] = [];
  doc.fontSize(7 * scale);
  for (const f of input.townships.features) {
    const [x, y] = at(pointOnFeature(f).geometry.coordinates);
    const w = doc.widthOfString(f.properties.name), h = 8 * scale;
    const box = { x: x - w / 2 - 1, y: y - h / 2, w: w + 2, h };
    if (placed.some((b) => b.x < box.x + box.w && box.x < b.x + b.w && b.y < box.y + box.h && box.y < b.y + b.h)) continue;
    placed.push(box);
    doc.save().rect(box.x, box.y, box.w, box.h).fillOpacity(0.7).fill('#ffffff').restore();
    doc.fillColor(INK).text(f.properties.name, box.x + 1, box.y + 0.5, { lineBreak: false });
  }
  for (const f of input.sites?.features ?? []) {
    const [x, y] = at(f.geometry.coordinates);
    star(doc, x, y, 6 * scale);
    doc.lineWidth(0.5).fillAndStroke(SITE, '#7a5c00');
    doc.fillColor(INK).fontSize(6.5 * scale).text(String(f.properties.rank), x + 6 * scale, y - 3 * scale, { lineBreak: false });
  }
  doc.restore();
  doc.rect(frame.x, frame.y, frame.w, frame.h).lineWidth(0.8).strokeColor(INK).stroke();

  if (input.synthetic) {
    const text = '演示数据为生成数据（非真实统计） generated demo data';
    doc.fontSize(7.5 * scale);
    const w = doc.widthOfString(text) + 8;
    doc.save().rect(frame.x + 6, frame.y + 6, w, 12 * scale).fill('#fff3cd').restore();
    doc.rect(frame.x + 6, frame.y + 6, w, 12 * scale).lineWidth(0.5).strokeColor('#b8860b').stroke();
    doc.fillColor('#7a4f00').text(text, frame.x + 10, frame.y + 8 * scale, { lineBreak: false });
  }
  // north arrow, top right
  const nx = frame.x + frame.w - 18 * scale, ny = frame.y + 10 * scale;
  doc.moveTo(nx, ny).lineTo(nx + 6 * scale, ny + 18 * scale).lineTo(nx, ny + 14 * scale).lineTo(nx - 6 * scale, ny + 18 * scale).closePath().fill(INK);
  doc.fillColor(INK).fontSize(7 * scale).text('N 北', nx - 8 * scale, ny + 20 * scale, { width: 16 * scale, align: 'center', lineBreak: false });
  // scale bar, bottom left: the roundest length near a fifth of the frame
  const want = (frame.w / 5) * metresPerPoint;
  const km = [0.5, 1, 2, 5, 10, 20, 50, 100, 200].reduce((best, k) => (Math.abs(k * 1000 - want) < Math.abs(best * 1000 - want) ? k : best));
  const len = (km * 1000) / metresPerPoint;
  const bx = frame.x + 10, by = frame.y + frame.h - 14 * scale;
  doc.save().rect(bx - 4, by - 10 * scale, len + 40 * scale, 20 * scale).fillOpacity(0.75).fill('#ffffff').restore();
  doc.rect(bx, by, len / 2, 3).fill(INK);
  doc.rect(bx + len / 2, by, len / 2, 3).lineWidth(0.5).fillAndStroke('#ffffff', INK);
  doc.fillColor(INK).fontSize(6.5 * scale).text('0', bx - 2, by - 8 * scale, { lineBreak: false });
  doc.text(`${km} 公里 km`, bx + len - 4, by - 8 * scale, { lineBreak: false });
}

function drawLegend(doc: Doc, input: MapSheetInput, box: Box, scale: number): number {
  const t = input.target ?? 0.9;
  const pct = (s: number) => `${Math.round(s * 100)} %`;
  const line = 11 * scale, sw = 14 * scale;
  let y = box.y;
  doc.fillColor(INK).fontSize(9 * scale).text('图例 legend', box.x, y, { lineBreak: false });
  y += line + 2;
  doc.fontSize(7 * scale).fillColor(MUTED).text(input.legend.share, box.x, y, { width: box.w, lineBreak: false });
  y += line;
  const ramp: Array<[string, string]> = [
    [shareColour(0.25, t), `< 50 %`], [shareColour((0.5 + t) / 2, t), `50 % – ${pct(t)}`], [shareColour(t, t), `≥ ${pct(t)} 达标 target met`], [NO_DATA, '无数据 no data'],
  ];
  for (const [colour, label] of ramp) {
    doc.rect(box.x, y, sw, 7 * scale).lineWidth(0.4).fillAndStroke(colour, '#555555');
    doc.fillColor(INK).text(label, box.x + sw + 5, y, { width: box.w - sw - 5, lineBreak: false });
    y += line;
  }
  doc.rect(box.x, y, sw, 7 * scale).fillOpacity(0.55).fill(GAP).fillOpacity(1);
  doc.fillColor(INK).text(input.legend.gaps, box.x + sw + 5, y, { width: box.w - sw - 5, lineBreak: false });
  y += line;
  doc.circle(box.x + sw / 2, y + 3.5 * scale, 2 * scale).fill(FACILITY);
  doc.fillColor(INK).text(input.legend.facilities, box.x + sw + 5, y, { width: box.w - sw - 5, height: line * 2, ellipsis: true });
  y += line * (doc.heightOfString(input.legend.facilities, { width: box.w - sw - 5 }) > line ? 2 : 1);
  if (input.legend.sites && input.sites?.features.length) {
    star(doc, box.x + sw / 2, y + 3.5 * scale, 5 * scale);
    doc.fill(SITE);
    doc.fillColor(INK).text(input.legend.sites, box.x + sw + 5, y, { width: box.w - sw - 5, lineBreak: false });
    y += line;
  }
  doc.moveTo(box.x, y + 2).lineTo(box.x + sw, y + 2).lineWidth(0.6).strokeColor('#333333').stroke();
  doc.fillColor(INK).text('乡镇界 township boundary', box.x + sw + 5, y - 1, { lineBreak: false });
  y += line;
  return y - box.y;
}

function sourceLines(input: MapSheetInput): string[] {
  return ['数据来源与说明 sources', ...input.sources, ...(input.date ? [`制图日期 date: ${input.date}`] : [])];
}

function sourcesHeight(doc: Doc, input: MapSheetInput, width: number, scale: number): number {
  doc.fontSize(6.5 * scale);
  return sourceLines(input).reduce((h, l) => h + doc.heightOfString(l, { width }) + 1, 0);
}

function drawSources(doc: Doc, input: MapSheetInput, at: { x: number; y: number; w: number }, scale: number): void {
  let y = at.y;
  sourceLines(input).forEach((l, i) => {
    doc.fontSize(6.5 * scale).fillColor(i === 0 ? INK : MUTED).text(l, at.x, y, { width: at.w });
    y += doc.heightOfString(l, { width: at.w }) + 1;
  });
}

function drawTable(doc: Doc, table: MapSheetInput['table'], box: Box, rowH: number, scale: number): void {
  const n = table.head.length;
  // the name column twice as wide as the number columns
  const unit = box.w / (n + 1);
  const widths = table.head.map((_, c) => (c === 0 ? unit * 2 : unit));
  const cell = (text: string, c: number, y: number, right: boolean) => {
    const x = box.x + widths.slice(0, c).reduce((a, b) => a + b, 0);
    doc.text(text, x + 2, y + 1.5 * scale, { width: widths[c] - 4, align: right ? 'right' : 'left', lineBreak: false, height: rowH, ellipsis: true });
  };
  let y = box.y;
  doc.rect(box.x, y, box.w, rowH * 1.6).fill('#e8ecef');
  doc.fillColor(INK).fontSize(6 * scale);
  table.head.forEach((h, c) => {
    const x = box.x + widths.slice(0, c).reduce((a, b) => a + b, 0);
    // a heading sits as its column's values do: numbers right, words left
    const first = table.rows[0]?.[c];
    const numeric = c > 0 && (typeof first === 'number' || /^-?[\d.,]+$/.test(String(first ?? '')));
    doc.text(h, x + 2, y + 1, { width: widths[c] - 4, height: rowH * 1.6, align: numeric ? 'right' : 'left', ellipsis: true });
  });
  y += rowH * 1.6;
  doc.fontSize(6.5 * scale);
  table.rows.forEach((r, i) => {
    if (i % 2 === 1) doc.rect(box.x, y, box.w, rowH).fill('#f6f7f8');
    doc.fillColor(INK);
    r.forEach((v, c) => cell(v === null ? '–' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : v, c, y, c > 0 && (typeof v === 'number' || /^-?[\d.,]+$/.test(String(v)))));
    y += rowH;
  });
  doc.moveTo(box.x, y).lineTo(box.x + box.w, y).lineWidth(0.4).strokeColor('#999999').stroke();
}
