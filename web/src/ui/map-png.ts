import type { Map as MapLibreMap } from 'maplibre-gl';
import { symbolImage } from '../style/category-symbols.ts';
import { CSS_FONT_FAMILY } from '../style/local-fonts.ts';
import { rampPosition } from '../style/palette.ts';
import type { LegendItem } from './legend-items.ts';

export interface PngParts {
  title: string;
  subtitle: string;
  /** attribution and notices, one line */
  footer: string;
  legend: LegendItem[];
  legendTitle: string;
}

// metres per CSS pixel at the map's centre (512-pixel Web-Mercator tiles)
function metersPerPixel(map: MapLibreMap): number {
  return (40075016.686 * Math.cos((map.getCenter().lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
}

function scaleBar(c: CanvasRenderingContext2D, map: MapLibreMap, x: number, y: number, r: number): void {
  const mpp = metersPerPixel(map);
  const target = 120 * mpp;
  const pow = 10 ** Math.floor(Math.log10(target));
  const nice = [5, 2, 1].map((k) => k * pow).find((v) => v <= target) ?? pow;
  const px = (nice / mpp) * r;
  c.fillStyle = 'rgba(255,255,255,0.85)';
  c.fillRect(x - 6 * r, y - 18 * r, px + 12 * r, 26 * r);
  c.fillStyle = '#212121';
  c.fillRect(x, y, px, 3 * r);
  c.fillRect(x, y - 6 * r, 2 * r, 9 * r);
  c.fillRect(x + px - 2 * r, y - 6 * r, 2 * r, 9 * r);
  c.font = `${11 * r}px ${CSS_FONT_FAMILY}`;
  c.fillText(nice >= 1000 ? `${nice / 1000} km` : `${nice} m`, x, y - 8 * r);
}

function drawLegend(c: CanvasRenderingContext2D, items: LegendItem[], title: string, x: number, bottom: number, r: number): void {
  const lineH = 20 * r, rampH = 42 * r, w = 220 * r;
  const h = 28 * r + items.reduce((sum, i) => sum + (i.kind === 'ramp' ? rampH : lineH), 0);
  let y = bottom - h;
  c.fillStyle = 'rgba(255,255,255,0.92)';
  c.fillRect(x, y, w, h);
  c.strokeStyle = '#90a4ae';
  c.lineWidth = r;
  c.strokeRect(x, y, w, h);
  c.fillStyle = '#212121';
  c.font = `bold ${13 * r}px ${CSS_FONT_FAMILY}`;
  c.fillText(title, x + 8 * r, y + 18 * r);
  y += 26 * r;
  c.font = `${12 * r}px ${CSS_FONT_FAMILY}`;
  for (const i of items) {
    if (i.kind === 'ramp') {
      c.fillStyle = '#212121';
      c.fillText(i.title, x + 8 * r, y + 12 * r);
      const g = c.createLinearGradient(x + 8 * r, 0, x + w - 12 * r, 0);
      i.stops.forEach(([, col], k) => g.addColorStop(k / (i.stops.length - 1), col));
      c.fillStyle = g;
      c.fillRect(x + 8 * r, y + 16 * r, w - 20 * r, 10 * r);
      c.fillStyle = '#424242';
      c.font = `${10 * r}px ${CSS_FONT_FAMILY}`;
      for (const [v, label] of i.ticks) c.fillText(label, x + 8 * r + rampPosition(i.stops, v) * (w - 20 * r) - 4 * r, y + 38 * r);
      c.font = `${12 * r}px ${CSS_FONT_FAMILY}`;
      y += rampH;
      continue;
    }
    if (i.kind === 'symbol') {
      const img = symbolImage(i.image);
      if (img) {
        const tmp = document.createElement('canvas');
        tmp.width = img.data.width;
        tmp.height = img.data.height;
        tmp.getContext('2d')!.putImageData(img.data, 0, 0);
        c.drawImage(tmp, x + 8 * r, y + 2 * r, 16 * r, 16 * r);
      }
    } else {
      c.fillStyle = i.hatch ? `${i.fill}55` : i.fill;
      c.fillRect(x + 8 * r, y + 3 * r, 16 * r, 14 * r);
      c.strokeStyle = i.line;
      c.lineWidth = 2 * r;
      c.strokeRect(x + 8 * r, y + 3 * r, 16 * r, 14 * r);
    }
    c.fillStyle = '#212121';
    c.fillText(i.label, x + 32 * r, y + 15 * r);
    y += lineH;
  }
}

/**
 * The map as a PNG a bureau can file: the rendered map with a title, the legend, a scale bar and the
 * attribution line drawn on. Waits for the map to finish drawing first.
 *
 * @example const blob = await mapPng(map, { title, subtitle, footer, legend, legendTitle: '图例' });
 */
export async function mapPng(map: MapLibreMap, parts: PngParts): Promise<Blob> {
  if (!map.loaded()) await new Promise<void>((resolve) => map.once('idle', () => resolve()));
  const source = map.getCanvas();
  const r = source.width / source.clientWidth || 1;
  const header = 52 * r, footer = 24 * r;
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height + header + footer;
  const c = out.getContext('2d');
  if (!c) throw new Error('PNG export: this browser gives no 2D canvas context');
  c.fillStyle = '#ffffff';
  c.fillRect(0, 0, out.width, out.height);
  c.drawImage(source, 0, header);
  c.fillStyle = '#212121';
  c.font = `bold ${20 * r}px ${CSS_FONT_FAMILY}`;
  c.fillText(parts.title, 12 * r, 24 * r);
  c.font = `${12 * r}px ${CSS_FONT_FAMILY}`;
  c.fillStyle = '#546e7a';
  c.fillText(parts.subtitle, 12 * r, 44 * r);
  c.fillText(parts.footer, 12 * r, out.height - 8 * r);
  if (parts.legend.length > 0) drawLegend(c, parts.legend, parts.legendTitle, 12 * r, header + source.height - 12 * r, r);
  scaleBar(c, map, out.width - 160 * r, header + source.height - 16 * r, r);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export: the canvas gave no image'))), 'image/png'));
}
