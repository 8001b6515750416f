import { existsSync, readFileSync } from 'node:fs';
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
const GAP = '#b2182b', GAP_INK = '#5c0011', FACILITY = '#2166ac', SITE = '#f1b500', NO_DATA = '#d9d9d9';
const DEFAULT_TARGET = 0.9;
const SYNTHETIC_LABEL = '演示数据为生成数据（非真实统计） generated demo data';

/**
 * The colour of a covered share: red under half, orange to yellow up to the target, green at or above it, grey for no data.
 *
 * @example shareColour(0.95, 0.9); // '#66bd63'
 */
export function shareColour(share: number | null, target: number | null): string {
  if (share === null || !Number.isFinite(share)) return NO_DATA;
  const t = target ?? DEFAULT_TARGET;
  if (share >= t) return '#66bd63';
  if (share < 0.5) return mix('#d73027', '#f46d43', share / 0.5);
  return mix('#fdae61', '#fee08b', (share - 0.5) / Math.max(1e-9, t - 0.5));
}

function mix(a: string, b: string, f: number): string {
  const p = (h: string, i: number) => parseInt(h.slice(1 + 2 * i, 3 + 2 * i), 16);
  const c = [0, 1, 2].map((i) => Math.round(p(a, i) + (p(b, i) - p(a, i)) * Math.max(0, Math.min(1, f))));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

// a CJK font is 5–10 MB: read it once per process, pdfkit subsets it into each sheet
const fontBytes = new Map<string, Buffer>();

function fontFile(path: string): Buffer {
  let bytes = fontBytes.get(path);
  if (!bytes) {
    if (!existsSync(path)) throw new Error(`map sheet: font file ${path} not found; give an existing .ttf/.otf/.ttc (fontPath or LIFECIRCLE_SHEET_FONT)`);
    bytes = readFileSync(path);
    fontBytes.set(path, bytes);
  }
  return bytes;
}

/**
 * A printable map sheet as PDF, drawn as vectors with its text as text (a Chinese font embedded, so
 * `pdftotext` reads it): title, the map (townships by coverage, hatched gaps, facilities, numbered sites, labels
 * that never overlap), legend, scale bar, north arrow, sources, the synthetic-data label, and the township table
 * beside or below the map, or on following pages (heading repeated) when it does not fit.
 *
 * @example const pdf = await mapSheetPdf(sheetInput(source, { paper: 'A4', orientation: 'landscape' }));
 */
export async function mapSheetPdf(input: MapSheetInput, options: { fontPath?: string; fontFamily?: string } = {}): Promise<Uint8Array> {
  if (!Object.hasOwn(PAPER, input.paper)) throw new Error(`map sheet: paper must be A4 or A3, found '${input.paper}'`);
  if (input.orientation !== 'landscape' && input.orientation !== 'portrait') throw new Error(`map sheet: orientation must be landscape or portrait, found '${input.orientation}'`);
  if (!input.townships?.features?.length) throw new Error('map sheet: no townships to draw; townships must hold at least one polygon feature');
  const font = options.fontPath ? { path: options.fontPath, family: options.fontFamily } : findSheetFont();
  if (!font) {
    throw new Error(`map sheet: no font with Chinese found (tried ${SHEET_FONT_PATHS.join(', ')}); run npm install (it brings @expo-google-fonts/noto-sans-sc), or apt-get install fonts-wqy-microhei, or set LIFECIRCLE_SHEET_FONT to a .ttf/.otf`);
  }
  const bytes = fontFile(font.path);
  const { default: PDFDocument } = await import('pdfkit');
  const [pw, ph] = input.orientation === 'landscape' ? [PAPER[input.paper][1], PAPER[input.paper][0]] : PAPER[input.paper];
  const doc = new PDFDocument({ size: [pw, ph], margin: M, autoFirstPage: true, info: { Title: input.title, Creator: 'lifecircle 生活圈' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((ok, fail) => { doc.on('end', ok); doc.on('error', fail); });
  doc.registerFont('cjk', bytes, font.family);
  doc.font('cjk');

  const scale = input.paper === 'A3' ? 1.25 : 1;
  fitText(doc, input.title, M, M, pw - 2 * M, 16 * scale, INK);
  let top = M + 20 * scale;
  if (input.subtitle) {
    fitText(doc, input.subtitle, M, top, pw - 2 * M, 9 * scale, MUTED);
    top += 13 * scale;
  }
  top += 4;
  const bodyH = ph - top - M;
  const landscape = input.orientation === 'landscape';
  const rowH = 9.5 * scale;
  const fullW = pw - 2 * M;
  // portrait: legend and sources at left under the map, the table at right; the map takes what they leave, at least 60 %
  const legendW = landscape ? fullW * 0.38 - 12 : fullW * 0.36;
  const legend = legendRows(doc, input, legendW, scale);
  const legendH = rowsHeight(legend);
  const sourcesH = sourcesHeight(doc, input, legendW, scale);
  const tableH = tableHeight(input.table.rows.length, rowH);
  const under = Math.max(legendH + 8 + sourcesH, tableH <= bodyH * 0.4 - 10 ? tableH : 0);
  const map: Box = landscape ? { x: M, y: top, w: fullW * 0.62, h: bodyH } : { x: M, y: top, w: fullW, h: Math.max(bodyH * 0.6, bodyH - under - 10) };
  drawMap(doc, input, map, scale);

  // beside the map (landscape) or under it (portrait): legend, then the table if it fits, then sources
  const side: Box = landscape ? { x: map.x + map.w + 12, y: top, w: pw - M - (map.x + map.w + 12), h: bodyH } : { x: M, y: map.y + map.h + 10, w: fullW, h: bodyH - map.h - 10 };
  drawRows(legend, side.x, side.y);
  const tableBox: Box = landscape
    ? { x: side.x, y: side.y + legendH + 10, w: side.w, h: side.h - legendH - sourcesH - 20 }
    : { x: side.x + legendW + 12, y: side.y, w: side.w - legendW - 12, h: side.h };
  const sourcesAt = landscape ? { x: side.x, y: side.y + side.h - sourcesH, w: legendW } : { x: side.x, y: side.y + legendH + 8, w: legendW };
  drawSources(doc, input, sourcesAt, scale);
  if (tableH <= tableBox.h) {
    drawTable(doc, input.table, tableBox, rowH, scale);
  } else {
    doc.fontSize(7.5 * scale).fillColor(MUTED).text('乡镇表见下页 township table on the next page', tableBox.x, tableBox.y, { width: tableBox.w, lineBreak: false });
    // following pages, the heading repeated on every page the table spans
    let rows = input.table.rows;
    for (let page = 1; rows.length > 0; page++) {
      doc.addPage({ size: [pw, ph], margin: M });
      doc.font('cjk');
      fitText(doc, `${input.title} · 乡镇表 township table${page > 1 ? ` (续 cont. ${page})` : ''}`, M, M, pw - 2 * M, 12 * scale, INK);
      const box = { x: M, y: M + 22 * scale, w: pw - 2 * M, h: ph - 2 * M - 22 * scale };
      let fit = Math.max(1, Math.floor(box.h / rowH) - HEAD_ROWS);
      if (fit < rows.length && fit > 1 && rows.length - fit === 1) fit -= 1;
      drawTable(doc, { head: input.table.head, rows: rows.slice(0, fit) }, box, rowH, scale);
      rows = rows.slice(fit);
    }
  }
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

// one line of text, its size shrunk until it fits the width (a long county name or scenario must not run off the page)
function fitText(doc: Doc, text: string, x: number, y: number, width: number, size: number, colour: string): void {
  let s = size;
  doc.fontSize(s);
  while (s > size * 0.6 && doc.widthOfString(text) > width) doc.fontSize((s -= 0.5));
  doc.fillColor(colour).text(text, x, y, { width, lineBreak: false, ellipsis: true, height: s * 1.4 });
}

/** Equirectangular, x shrunk by cos(mid-latitude): true shape at county scale; fitted into the frame. */
function projector(fc: FeatureCollection, frame: Box): { at: (p: Position) => [number, number]; metresPerPoint: number } {
  const [w, s, e, n] = bbox(fc);
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const pad = 14;
  const sx = (frame.w - 2 * pad) / Math.max(1e-9, (e - w) * k), sy = (frame.h - 2 * pad) / Math.max(1e-9, n - s);
  const f = Math.min(sx, sy);
  const ox = frame.x + (frame.w - (e - w) * k * f) / 2, oy = frame.y + (frame.h - (n - s) * f) / 2;
  // a degree of latitude is 111.32 km; x was scaled by k so a point is the same length both ways
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

// diagonal lines over a box, drawn inside whatever clip is set: the gaps' hatch, in the map and the legend alike
function hatch(doc: Doc, box: Box): void {
  const step = 3;
  for (let d = -box.h; d < box.w; d += step) doc.moveTo(box.x + d, box.y + box.h).lineTo(box.x + d + box.h, box.y);
  doc.lineWidth(0.45).strokeColor(GAP_INK).strokeOpacity(0.85).stroke().strokeOpacity(1);
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Box, f: Box) => a.x >= f.x + 2 && a.y >= f.y + 2 && a.x + a.w <= f.x + f.w - 2 && a.y + a.h <= f.y + f.h - 2;

function drawMap(doc: Doc, input: MapSheetInput, frame: Box, scale: number): void {
  const { at, metresPerPoint } = projector(input.townships, frame);
  // boxes the township labels must keep clear of: the synthetic label, north arrow, scale bar and the sites' stars
  const reserved: Box[] = [];
  doc.fontSize(7.5 * scale);
  const synthetic: Box = { x: frame.x + 6, y: frame.y + 6, w: doc.widthOfString(SYNTHETIC_LABEL) + 8, h: 12 * scale };
  if (input.synthetic) reserved.push(synthetic);
  const nx = frame.x + frame.w - 18 * scale, ny = frame.y + 10 * scale;
  reserved.push({ x: nx - 9 * scale, y: ny, w: 18 * scale, h: 29 * scale });
  const want = (frame.w / 5) * metresPerPoint;
  const km = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500].reduce((best, k) => (Math.abs(k * 1000 - want) < Math.abs(best * 1000 - want) ? k : best));
  const len = (km * 1000) / metresPerPoint;
  const bx = frame.x + 10, by = frame.y + frame.h - 14 * scale;
  const scaleBox: Box = { x: bx - 4, y: by - 10 * scale, w: len + 40 * scale, h: 20 * scale };
  reserved.push(scaleBox);
  const sites = (input.sites?.features ?? []).filter((f) => f.geometry);
  for (const f of sites) {
    const [x, y] = at(f.geometry.coordinates);
    reserved.push({ x: x - 6 * scale, y: y - 6 * scale, w: 20 * scale, h: 12 * scale });
  }

  doc.save().rect(frame.x, frame.y, frame.w, frame.h).fill('#f4f6f8').restore();
  doc.save().rect(frame.x, frame.y, frame.w, frame.h).clip();
  for (const f of input.townships.features) {
    if (!f.geometry) continue;
    tracePolygons(doc, f.geometry, at);
    doc.fillColor(shareColour(f.properties.share, input.target)).fill('even-odd');
  }
  // gaps hatched so the township's colour still shows through them
  const gaps = input.gaps.features.filter((f) => f.geometry);
  if (gaps.length > 0) {
    doc.save();
    for (const f of gaps) tracePolygons(doc, f.geometry, at);
    doc.clip('even-odd');
    doc.rect(frame.x, frame.y, frame.w, frame.h).fillOpacity(0.18).fill(GAP).fillOpacity(1);
    hatch(doc, frame);
    doc.restore();
  }
  for (const f of input.townships.features) {
    if (!f.geometry) continue;
    tracePolygons(doc, f.geometry, at);
    doc.lineWidth(0.6).strokeColor('#333333').stroke();
  }
  for (const f of input.facilities.features) {
    if (!f.geometry) continue;
    const [x, y] = at(f.geometry.coordinates);
    doc.circle(x, y, 1.6 * scale).lineWidth(0.3).fillAndStroke(FACILITY, '#ffffff');
  }
  // labels: township names at a point inside, nudged off a placed box, skipped when every nudge still hits one
  const placed: Box[] = [...reserved];
  doc.fontSize(7 * scale);
  for (const f of input.townships.features) {
    if (!f.geometry || !f.properties.name) continue;
    const [x, y] = at(pointOnFeature(f).geometry.coordinates);
    const w = doc.widthOfString(f.properties.name) + 2, h = 8 * scale;
    const nudges = [[0, 0], [0, -h], [0, h], [w * 0.6, 0], [-w * 0.6, 0], [0, -2 * h], [0, 2 * h]];
    const box = nudges.map(([dx, dy]) => ({ x: x - w / 2 + dx, y: y - h / 2 + dy, w, h })).find((b) => inside(b, frame) && !placed.some((p) => overlaps(p, b)));
    if (!box) continue;
    placed.push(box);
    doc.save().rect(box.x, box.y, box.w, box.h).fillOpacity(0.85).fill('#ffffff').restore();
    doc.fillColor(INK).text(f.properties.name, box.x + 1, box.y + 0.5, { lineBreak: false });
  }
  for (const f of sites) {
    const [x, y] = at(f.geometry.coordinates);
    star(doc, x, y, 6 * scale);
    doc.lineWidth(0.5).fillAndStroke(SITE, '#7a5c00');
    const rank = String(f.properties.rank);
    doc.fontSize(7.5 * scale);
    const rw = doc.widthOfString(rank) + 2;
    doc.save().rect(x + 5.5 * scale, y - 4.5 * scale, rw, 9 * scale).fillOpacity(0.85).fill('#ffffff').restore();
    doc.fillColor(INK).text(rank, x + 6.5 * scale, y - 4 * scale, { lineBreak: false });
  }
  doc.restore();
  doc.rect(frame.x, frame.y, frame.w, frame.h).lineWidth(0.8).strokeColor(INK).stroke();

  if (input.synthetic) {
    const s = synthetic;
    doc.save().rect(s.x, s.y, s.w, s.h).fill('#fff3cd').restore();
    doc.rect(s.x, s.y, s.w, s.h).lineWidth(0.5).strokeColor('#b8860b').stroke();
    doc.fillColor('#7a4f00').fontSize(7.5 * scale).text(SYNTHETIC_LABEL, s.x + 4, s.y + 2 * scale, { lineBreak: false });
  }
  // north arrow, top right
  doc.moveTo(nx, ny).lineTo(nx + 6 * scale, ny + 18 * scale).lineTo(nx, ny + 14 * scale).lineTo(nx - 6 * scale, ny + 18 * scale).closePath().fill(INK);
  doc.fillColor(INK).fontSize(7 * scale).text('N 北', nx - 8 * scale, ny + 20 * scale, { width: 16 * scale, align: 'center', lineBreak: false });
  // scale bar, bottom left: the roundest length near a fifth of the frame, halves black and white
  doc.save().rect(scaleBox.x, scaleBox.y, scaleBox.w, scaleBox.h).fillOpacity(0.75).fill('#ffffff').restore();
  doc.rect(bx, by, len / 2, 3).fill(INK);
  doc.rect(bx + len / 2, by, len / 2, 3).lineWidth(0.5).fillAndStroke('#ffffff', INK);
  doc.fillColor(INK).fontSize(6.5 * scale).text('0', bx - 2, by - 8.5 * scale, { lineBreak: false });
  const kmLabel = `${km} 公里 km`;
  doc.text(kmLabel, bx + len - Math.min(doc.widthOfString(kmLabel) / 2, 8 * scale), by - 8.5 * scale, { lineBreak: false });
}

type Row = { h: number; draw: (x: number, y: number) => void };

// the legend as rows, so the page can measure it before it decides where the map ends
function legendRows(doc: Doc, input: MapSheetInput, w: number, scale: number): Row[] {
  const t = input.target ?? DEFAULT_TARGET;
  const pct = (s: number) => `${Math.round(s * 100)} %`;
  const line = 11 * scale, sw = 14 * scale, tw = w - sw - 5;
  const swatch = (x: number, y: number, colour: string) => doc.rect(x, y, sw, 7 * scale).lineWidth(0.4).fillAndStroke(colour, '#555555');
  const label = (text: string, x: number, y: number) => doc.fontSize(7 * scale).fillColor(INK).text(text, x + sw + 5, y, { width: tw, lineBreak: false, ellipsis: true, height: line });
  const rows: Row[] = [
    { h: line + 2, draw: (x, y) => doc.fillColor(INK).fontSize(9 * scale).text('图例 legend', x, y, { lineBreak: false }) },
    { h: line, draw: (x, y) => doc.fontSize(7 * scale).fillColor(MUTED).text(input.legend.share, x, y, { width: w, lineBreak: false, ellipsis: true, height: line }) },
  ];
  // the ramp as the map paints it, one slice per per cent; the target marked above, 0/50/100 below
  const rw = Math.min(w - 12 * scale, 170 * scale), rh = 8 * scale;
  rows.push({ h: 9 * scale + rh + 3 + line, draw: (x, y0) => {
    const targetLabel = `目标 target ${pct(t)}${input.target === null ? ' (默认 default)' : ''}`;
    const tX = x + rw * t;
    doc.fontSize(6.5 * scale).fillColor(INK);
    const tlw = doc.widthOfString(targetLabel);
    doc.text(targetLabel, Math.max(x, Math.min(tX - tlw / 2, x + w - tlw)), y0, { lineBreak: false });
    const y = y0 + 9 * scale;
    for (let i = 0; i < 100; i++) doc.rect(x + (rw * i) / 100, y, rw / 100 + 0.3, rh).fill(shareColour(i / 100 + 0.005, t));
    doc.rect(x, y, rw, rh).lineWidth(0.4).strokeColor('#555555').stroke();
    doc.moveTo(tX, y - 2).lineTo(tX, y + rh + 2).lineWidth(1).strokeColor(INK).stroke();
    for (const v of [0, 0.5, 1]) doc.moveTo(x + rw * v, y + rh).lineTo(x + rw * v, y + rh + 2).lineWidth(0.4).strokeColor('#555555').stroke();
    for (const v of [0, 0.5, 1]) {
      const text = pct(v), lw = doc.widthOfString(text);
      doc.fillColor(INK).text(text, x + rw * v - (v === 0 ? 0 : v === 1 ? lw : lw / 2), y + rh + 3, { lineBreak: false });
    }
  } });
  rows.push({ h: line, draw: (x, y) => { swatch(x, y, NO_DATA); label('无数据 no data', x, y); } });
  rows.push({ h: line, draw: (x, y) => {
    const b: Box = { x, y, w: sw, h: 7 * scale };
    doc.save().rect(b.x, b.y, b.w, b.h).clip();
    doc.rect(b.x, b.y, b.w, b.h).fill(shareColour(0.25, t));
    doc.rect(b.x, b.y, b.w, b.h).fillOpacity(0.18).fill(GAP).fillOpacity(1);
    hatch(doc, b);
    doc.restore();
    doc.rect(b.x, b.y, b.w, b.h).lineWidth(0.4).strokeColor('#555555').stroke();
    label(input.legend.gaps, x, y);
  } });
  doc.fontSize(7 * scale);
  const facilityLines = doc.heightOfString(input.legend.facilities, { width: tw }) > line ? 2 : 1;
  rows.push({ h: line * facilityLines, draw: (x, y) => {
    doc.circle(x + sw / 2, y + 3.5 * scale, 2 * scale).fill(FACILITY);
    doc.fontSize(7 * scale).fillColor(INK).text(input.legend.facilities, x + sw + 5, y, { width: tw, height: line * 2, ellipsis: true });
  } });
  if (input.legend.sites && input.sites?.features.length) {
    rows.push({ h: line, draw: (x, y) => {
      star(doc, x + sw / 2, y + 3.5 * scale, 5 * scale);
      doc.lineWidth(0.5).fillAndStroke(SITE, '#7a5c00');
      label(`${input.legend.sites} (1, 2, … 序号 rank)`, x, y);
    } });
  }
  rows.push({ h: line, draw: (x, y) => {
    doc.moveTo(x, y + 3.5 * scale).lineTo(x + sw, y + 3.5 * scale).lineWidth(0.6).strokeColor('#333333').stroke();
    label('乡镇界 township boundary', x, y);
  } });
  return rows;
}

const rowsHeight = (rows: Row[]) => rows.reduce((h, r) => h + r.h, 0);

function drawRows(rows: Row[], x: number, y: number): void {
  for (const r of rows) { r.draw(x, y); y += r.h; }
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

// the heading row is two rows high so a long Chinese heading can wrap once
const HEAD_ROWS = 2;
const tableHeight = (rows: number, rowH: number) => rowH * (HEAD_ROWS + rows);

const isBlank = (v: string | number | null | undefined) => v === null || v === undefined || /^\s*[–—-]?\s*$/.test(String(v));
const isNumeric = (v: string | number | null | undefined) => typeof v === 'number' || /^-?[\d.,]+\s*%?$/.test(String(v ?? '').trim());

function drawTable(doc: Doc, table: MapSheetInput['table'], box: Box, rowH: number, scale: number): void {
  const n = table.head.length;
  // the name column twice as wide as the number columns
  const unit = box.w / (n + 1);
  const widths = table.head.map((_, c) => (c === 0 ? unit * 2 : unit));
  const left = (c: number) => box.x + widths.slice(0, c).reduce((a, b) => a + b, 0);
  // a column is right-aligned, its heading too, when its filled cells are numbers
  const numeric = table.head.map((_, c) => c > 0 && table.rows.some((r) => !isBlank(r[c])) && table.rows.every((r) => isBlank(r[c]) || isNumeric(r[c])));
  let y = box.y;
  doc.rect(box.x, y, box.w, rowH * HEAD_ROWS).fill('#e8ecef');
  doc.fillColor(INK).fontSize(6 * scale);
  table.head.forEach((h, c) => doc.text(h, left(c) + 2, y + 1, { width: widths[c] - 4, height: rowH * HEAD_ROWS, align: numeric[c] ? 'right' : 'left', ellipsis: true, lineGap: -1 }));
  y += rowH * HEAD_ROWS;
  doc.fontSize(6.5 * scale);
  table.rows.forEach((r, i) => {
    if (i % 2 === 1) doc.rect(box.x, y, box.w, rowH).fill('#f6f7f8');
    doc.fillColor(INK);
    r.forEach((v, c) => {
      if (c >= n) return;
      const text = v === null ? '–' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : v;
      doc.text(text, left(c) + 2, y + 1.5 * scale, { width: widths[c] - 4, align: numeric[c] ? 'right' : 'left', lineBreak: false, height: rowH, ellipsis: true });
    });
    y += rowH;
  });
  doc.moveTo(box.x, y).lineTo(box.x + box.w, y).lineWidth(0.4).strokeColor('#999999').stroke();
}
