/**
 * Offline text. MapLibre 6 draws a glyph locally (TinySDF on a canvas, with the browser's own fonts) whenever
 * the style has no `glyphs` URL, for every script; `localIdeographFontFamily` picks the font for CJK. So the
 * style leaves `glyphs` out altogether: no glyph PBF is ever requested, labels with Chinese, digits and Latin
 * all render from fonts on the planner's machine, and there is nothing to build or serve. The alternatives
 * weighed were serving generated PBF ranges (needs a native SDF tool at build time) and serving empty PBFs
 * (digits would vanish from the map); neither is needed with local drawing.
 *
 * The lists name the Chinese fonts found on Windows (Microsoft YaHei, SimHei), macOS (PingFang SC, Hiragino
 * Sans GB), Linux (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi) and the domestic systems (UOS/Kylin ship
 * Noto/Source Han); the browser takes the first it has and falls back to `sans-serif`.
 */
export const CJK_FAMILIES = [
  'Microsoft YaHei', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC',
  'WenQuanYi Micro Hei', 'WenQuanYi Zen Hei', 'SimHei', 'sans-serif',
];

/** The value of MapLibre's `localIdeographFontFamily` option: a CSS font-family list. */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = CJK_FAMILIES.map((f) => (f.includes(' ') ? `'${f}'` : f)).join(', ');

/**
 * `text-font` of every symbol layer. Without a glyphs URL MapLibre reads it as CSS font families, so
 * digits and Latin letters come from the same local fonts as the Chinese.
 */
export const TEXT_FONT = ['Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'WenQuanYi Micro Hei', 'sans-serif'];

/** The same list for HTML (panel, legend), so the map and the panel read alike. */
export const CSS_FONT_FAMILY = `system-ui, -apple-system, 'Segoe UI', ${LOCAL_IDEOGRAPH_FONT_FAMILY}`;
