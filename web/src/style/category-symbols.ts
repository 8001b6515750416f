import { FACILITY_GROUPS, GAP, GROUP_COLORS, SUGGESTED, type FacilityGroup } from './palette.ts';

/** An image MapLibre's `addImage` takes, drawn on a canvas here so the style needs no sprite URL. */
export interface SymbolImage {
  id: string;
  data: ImageData;
  pixelRatio: number;
}

// symbols are drawn at twice their CSS size so they stay sharp on high-density screens and projectors
const RATIO = 2;
const SIZE = 22;

type Draw = (c: CanvasRenderingContext2D, s: number) => void;

function path(c: CanvasRenderingContext2D, points: Array<[number, number]>): void {
  c.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? c.moveTo(x, y) : c.lineTo(x, y)));
  c.closePath();
}

function polygon(c: CanvasRenderingContext2D, s: number, sides: number, rotate: number, r = 0.44): void {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < sides; i++) {
    const a = rotate + (i * 2 * Math.PI) / sides;
    pts.push([s / 2 + Math.cos(a) * s * r, s / 2 + Math.sin(a) * s * r]);
  }
  path(c, pts);
}

// each group has its own outline shape, so symbols stay distinct in greyscale print and for colour-blind readers
const SHAPES: Record<FacilityGroup, Draw> = {
  health: (c, s) => { c.beginPath(); c.roundRect(s * 0.08, s * 0.08, s * 0.84, s * 0.84, s * 0.16); },
  elderly: (c, s) => { c.beginPath(); c.arc(s / 2, s / 2, s * 0.44, 0, Math.PI * 2); },
  education: (c, s) => path(c, [[s * 0.5, s * 0.04], [s * 0.95, s * 0.42], [s * 0.84, s * 0.42], [s * 0.84, s * 0.94], [s * 0.16, s * 0.94], [s * 0.16, s * 0.42], [s * 0.05, s * 0.42]]),
  childcare: (c, s) => {
    const pts: Array<[number, number]> = [];
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5, r = i % 2 === 0 ? 0.47 : 0.24;
      pts.push([s / 2 + Math.cos(a) * s * r, s * 0.53 + Math.sin(a) * s * r]);
    }
    path(c, pts);
  },
  culture: (c, s) => path(c, [[s * 0.5, s * 0.03], [s * 0.97, s * 0.5], [s * 0.5, s * 0.97], [s * 0.03, s * 0.5]]),
  sport: (c, s) => polygon(c, s, 5, -Math.PI / 2, 0.47),
  community: (c, s) => polygon(c, s, 6, 0, 0.46),
  emergency: (c, s) => path(c, [[s * 0.5, s * 0.04], [s * 0.97, s * 0.92], [s * 0.03, s * 0.92]]),
};

// a white mark inside the shape says the group a second time
const MARKS: Record<FacilityGroup, Draw> = {
  health: (c, s) => { c.fillRect(s * 0.42, s * 0.22, s * 0.16, s * 0.56); c.fillRect(s * 0.22, s * 0.42, s * 0.56, s * 0.16); },
  elderly: (c, s) => {
    // a heart
    c.beginPath();
    c.moveTo(s * 0.5, s * 0.74);
    c.bezierCurveTo(s * 0.16, s * 0.5, s * 0.26, s * 0.24, s * 0.5, s * 0.38);
    c.bezierCurveTo(s * 0.74, s * 0.24, s * 0.84, s * 0.5, s * 0.5, s * 0.74);
    c.fill();
  },
  education: (c, s) => c.fillRect(s * 0.4, s * 0.6, s * 0.2, s * 0.34),
  childcare: (c, s) => { c.beginPath(); c.arc(s / 2, s * 0.55, s * 0.1, 0, Math.PI * 2); c.fill(); },
  culture: (c, s) => { c.beginPath(); c.arc(s / 2, s / 2, s * 0.13, 0, Math.PI * 2); c.fill(); },
  sport: (c, s) => { c.beginPath(); c.arc(s / 2, s * 0.53, s * 0.14, 0, Math.PI * 2); c.fill(); },
  community: (c, s) => c.fillRect(s * 0.34, s * 0.34, s * 0.32, s * 0.32),
  emergency: (c, s) => { c.fillRect(s * 0.45, s * 0.34, s * 0.1, s * 0.32); c.fillRect(s * 0.45, s * 0.72, s * 0.1, s * 0.1); },
};

function canvas(size: number): CanvasRenderingContext2D {
  const el = document.createElement('canvas');
  el.width = el.height = size;
  const c = el.getContext('2d', { willReadFrequently: true });
  if (!c) throw new Error('category symbols: this browser gives no 2D canvas context');
  return c;
}

function facilitySymbol(group: FacilityGroup, planned: boolean): SymbolImage {
  const px = SIZE * RATIO;
  const c = canvas(px);
  const color = GROUP_COLORS[group];
  SHAPES[group](c, px);
  c.fillStyle = planned ? '#ffffff' : color;
  c.fill();
  c.lineWidth = planned ? px * 0.12 : px * 0.07;
  c.strokeStyle = planned ? color : '#ffffff';
  if (planned) c.setLineDash([px * 0.14, px * 0.08]);
  c.stroke();
  c.setLineDash([]);
  c.fillStyle = planned ? color : '#ffffff';
  MARKS[group](c, px);
  return { id: facilityImageId(group, planned), data: c.getImageData(0, 0, px, px), pixelRatio: RATIO };
}

/** Image id of a facility group's symbol; planned facilities (what-if) get an outlined, dashed variant. */
export function facilityImageId(group: FacilityGroup, planned = false): string {
  return planned ? `facility-${group}-planned` : `facility-${group}`;
}

function suggestedSymbol(): SymbolImage {
  const px = 26 * RATIO;
  const c = canvas(px);
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5, r = i % 2 === 0 ? 0.48 : 0.22;
    pts.push([px / 2 + Math.cos(a) * px * r, px * 0.52 + Math.sin(a) * px * r]);
  }
  path(c, pts);
  c.fillStyle = SUGGESTED;
  c.fill();
  c.lineWidth = px * 0.06;
  c.strokeStyle = '#212121';
  c.stroke();
  return { id: 'suggested-site', data: c.getImageData(0, 0, px, px), pixelRatio: RATIO };
}

/** Diagonal hatching for gap polygons: seen at once, and the basemap still shows through. */
function gapHatch(): SymbolImage {
  const px = 12 * RATIO;
  const c = canvas(px);
  c.strokeStyle = GAP.hatch;
  c.lineWidth = RATIO * 1.6;
  c.beginPath();
  // three strokes so the tile repeats seamlessly across its corners
  for (const o of [-px, 0, px]) { c.moveTo(o, px); c.lineTo(o + px, 0); }
  c.stroke();
  return { id: 'gap-hatch', data: c.getImageData(0, 0, px, px), pixelRatio: RATIO };
}

/**
 * Every image the style uses: a symbol per facility group (existing and planned), the suggested-site
 * star and the gap hatching.
 *
 * @example for (const s of drawSymbols()) map.addImage(s.id, s.data, { pixelRatio: s.pixelRatio });
 */
export function drawSymbols(): SymbolImage[] {
  const out: SymbolImage[] = [];
  for (const g of FACILITY_GROUPS) out.push(facilitySymbol(g, false), facilitySymbol(g, true));
  out.push(suggestedSymbol(), gapHatch());
  return out;
}

let drawn: Map<string, SymbolImage> | null = null;

/** One symbol by image id, drawn once and kept (the legend and the PNG export draw them again). */
export function symbolImage(id: string): SymbolImage | undefined {
  drawn ??= new Map(drawSymbols().map((s) => [s.id, s]));
  return drawn.get(id);
}

/** A symbol as a small canvas element, for the legend and the what-if list (HTML, not WebGL; no data URLs). */
export function symbolCanvas(image: SymbolImage): HTMLCanvasElement {
  const c = canvas(image.data.width);
  c.putImageData(image.data, 0, 0);
  c.canvas.style.width = c.canvas.style.height = `${image.data.width / image.pixelRatio}px`;
  c.canvas.setAttribute('aria-hidden', 'true');
  return c.canvas;
}
