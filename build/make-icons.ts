/**
 * Renders the app icon files electron-builder packs (`build/icon.png`, 256 px, and
 * `build/icon.ico` with the sizes Windows asks for) from the artwork in
 * `electron/icons/icon-artwork.ts`. Run with `npx tsx build/make-icons.ts` after changing the artwork.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drawAppIcon } from '../electron/icons/icon-artwork.js';
import { encodePng } from '../electron/icons/png-encoder.js';
import { encodeIco } from './ico-encoder.js';

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
export const PNG_SIZE = 256;

export function renderAppIconFiles(): { png: Buffer; ico: Buffer } {
  return {
    png: encodePng(PNG_SIZE, PNG_SIZE, drawAppIcon(PNG_SIZE)),
    ico: encodeIco(ICO_SIZES.map((size) => ({ size, rgba: drawAppIcon(size) }))),
  };
}

export const ICON_PNG_PATH = fileURLToPath(new URL('./icon.png', import.meta.url));
export const ICON_ICO_PATH = fileURLToPath(new URL('./icon.ico', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { png, ico } = renderAppIconFiles();
  writeFileSync(ICON_PNG_PATH, png);
  writeFileSync(ICON_ICO_PATH, ico);
  console.log(`wrote ${ICON_PNG_PATH} (${png.length} bytes) and ${ICON_ICO_PATH} (${ico.length} bytes)`);
}
