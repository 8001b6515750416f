import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

// the whole Noto Sans SC (static TTF, Latin included) that npm installs with the project, so every machine prints the same
const NPM_FONT = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

// system fonts with Simplified Chinese, in order of preference (Debian: fonts-wqy-microhei, fonts-noto-cjk); a .ttc needs its PostScript name
const SYSTEM_FONTS: Array<{ path: string; family?: string }> = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Regular' },
  { path: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'MicrosoftYaHei' },
];

/** Where a map sheet looks for a Chinese font, in order, for the error that none was found. */
export const SHEET_FONT_PATHS = [`npm ${NPM_FONT}`, ...SYSTEM_FONTS.map((c) => c.path)];

function npmFont(): string | null {
  try {
    return createRequire(import.meta.url).resolve(NPM_FONT);
  } catch {
    // not installed (an image that pruned it): fall back to the system's fonts
    return null;
  }
}

/**
 * A font with Simplified Chinese for map sheets: LIFECIRCLE_SHEET_FONT (a .ttf/.otf, or a .ttc with the PostScript name in
 * LIFECIRCLE_SHEET_FONT_FAMILY), else Noto Sans SC from npm (@expo-google-fonts/noto-sans-sc), else the first system
 * font found; null when there is none.
 *
 * @example const font = findSheetFont(); // { path: '…/node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf' }
 */
export function findSheetFont(): { path: string; family?: string } | null {
  const fromEnv = process.env.LIFECIRCLE_SHEET_FONT?.trim();
  if (fromEnv) return { path: fromEnv, family: process.env.LIFECIRCLE_SHEET_FONT_FAMILY?.trim() || undefined };
  const npm = npmFont();
  if (npm && existsSync(npm)) return { path: npm };
  return SYSTEM_FONTS.find((c) => existsSync(c.path)) ?? null;
}
