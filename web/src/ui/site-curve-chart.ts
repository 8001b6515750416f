import type { SiteCurve } from '../source/api-types.ts';
import { formatShare } from './format.ts';
import { t } from './i18n.ts';

const SVG = 'http://www.w3.org/2000/svg';
const W = 280, H = 130, PAD = { left: 40, right: 10, top: 10, bottom: 28 };

function node<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The coverage curve of a suggestion as a small SVG line chart: the group's covered share (y) against the
 * number of sites (x, 0 = today), with the first and last shares labelled. The numbers are the suggestion's
 * own `curve`, the same the workbook's curve sheet holds; the points ride along in `data-points`.
 *
 * @example host.append(siteCurveChart(store.get().siteCurve!));
 */
export function siteCurveChart(curve: SiteCurve): SVGSVGElement {
  const pts = curve.points;
  const group = t(curve.group === 'aged60' ? 'groupAged60' : 'groupAll');
  const svg = node('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'site-curve', 'data-testid': 'sites-curve' });
  svg.dataset.points = JSON.stringify(pts.map((p) => [p.k, Math.round(p.share * 1e4) / 1e4]));
  const title = t('curveTitle', { group });
  svg.append(node('title', {}, `${title}: ${pts.map((p) => `k=${p.k} ${formatShare(p.share)}`).join(', ')}`));
  const kMax = Math.max(1, pts.at(-1)?.k ?? 1);
  const lo = Math.min(...pts.map((p) => p.share)), hi = Math.max(...pts.map((p) => p.share));
  // the axis hugs the curve (a few sites move a county's share by points, not tens of points) but never inverts
  const y0 = Math.max(0, lo - Math.max(0.01, (hi - lo) * 0.15)), y1 = Math.min(1, hi + Math.max(0.01, (hi - lo) * 0.15));
  const x = (k: number) => PAD.left + (k / kMax) * (W - PAD.left - PAD.right);
  const y = (s: number) => H - PAD.bottom - ((s - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  svg.append(
    node('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, stroke: '#9e9e9e' }),
    node('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, stroke: '#9e9e9e' }),
    node('text', { x: PAD.left - 4, y: y(y1) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#616161' }, formatShare(y1)),
    node('text', { x: PAD.left - 4, y: y(y0), 'text-anchor': 'end', 'font-size': 10, fill: '#616161' }, formatShare(y0)),
    node('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 10, fill: '#616161' }, t('curveK')),
  );
  for (const p of pts) svg.append(node('text', { x: x(p.k), y: H - PAD.bottom + 12, 'text-anchor': 'middle', 'font-size': 9, fill: '#757575' }, String(p.k)));
  svg.append(node('polyline', { points: pts.map((p) => `${x(p.k).toFixed(1)},${y(p.share).toFixed(1)}`).join(' '), fill: 'none', stroke: '#f57f17', 'stroke-width': 2 }));
  for (const p of pts) svg.append(node('circle', { cx: x(p.k).toFixed(1), cy: y(p.share).toFixed(1), r: 3, fill: p.k === 0 ? '#9e9e9e' : '#f57f17' }));
  const last = pts.at(-1)!;
  svg.append(node('text', { x: x(last.k) - 2, y: y(last.share) - 6, 'text-anchor': 'end', 'font-size': 10, fill: '#e65100' }, formatShare(last.share)));
  return svg;
}
