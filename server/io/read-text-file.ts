import { readFileBytes } from './read-file-bytes.ts';

export interface ReadTextOptions {
  /** decode text that is not valid UTF-8 as GBK (Chinese Excel exports) instead of failing */
  allowGbk?: boolean;
}

/**
 * A text file (optionally `.gz`) as a string: UTF-8 with or without BOM, UTF-16 with BOM, and GBK when
 * allowed and the bytes are not valid UTF-8.
 *
 * @example const text = await readTextFile('facilities.csv', { allowGbk: true });
 */
export async function readTextFile(path: string, options: ReadTextOptions = {}): Promise<string> {
  const bytes = await readFileBytes(path);
  // Excel's "Unicode text" is UTF-16 with a BOM
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    // the UTF-8 decoder drops a leading BOM itself
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (options.allowGbk) {
      try {
        return new TextDecoder('gbk', { fatal: true }).decode(bytes);
      } catch {
        // neither encoding: say on which line the first bad byte is, so the user can find it
        const loose = new TextDecoder('gbk').decode(bytes);
        const line = loose.slice(0, loose.indexOf('\uFFFD')).split('\n').length;
        throw new Error(`${path} line ${line}: bytes that are neither UTF-8 nor GBK text; save the file as UTF-8 (or GBK) again`);
      }
    }
    throw new Error(`${path}: expected UTF-8 text, found bytes that are not UTF-8; save the file as UTF-8`);
  }
}
