import { existsSync } from 'node:fs';

// system fonts with Simplified Chinese, in order of preference (Debian: fonts-wqy-microhei, fonts-noto-cjk)
const CANDIDATES: Array<{ path: string; family?: string }> = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Regular' },
  { path: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'MicrosoftYaHei' },
];

/** Paths a map sheet looks for a Chinese font in, for the error that none was found. */
export const SHEET_FONT_PATHS = CANDIDATES.map((c) => c.path);

/**
 * A font with Simplified Chinese for map sheets: LIFECIRCLE_SHEET_FONT (a .ttf/.otf, or a .ttc with the PostScript name in
 * LIFECIRCLE_SHEET_FONT_FAMILY), else the first system font found; null when there is none.
 *
 * @example const font = findSheetFont(); // { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' }
 */
export function findSheetFont(): { path: string; family?: string } | null {
  const fromEnv = process.env.LIFECIRCLE_SHEET_FONT?.trim();
  if (fromEnv) return { path: fromEnv, family: process.env.LIFECIRCLE_SHEET_FONT_FAMILY?.trim() || undefined };
  return CANDIDATES.find((c) => existsSync(c.path)) ?? null;
}
