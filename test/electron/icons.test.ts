import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ICON_ICO_PATH, ICON_PNG_PATH, ICO_SIZES, renderAppIconFiles } from '../../build/make-icons.js';
import { HEALTH_COLORS, drawAppIcon, drawHealthDot } from '../../electron/icons/icon-artwork.js';
import { trayIconImages } from '../../electron/icons/icon-images.js';
import { encodePng, pngSize } from '../../electron/icons/png-encoder.js';
import { resetFakeElectron, type FakeImage } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

beforeEach(() => resetFakeElectron());

/** Decodes what encodePng writes (unfiltered RGBA) back to pixels. */
function decodePixels(png: Buffer): { width: number; pixels: Buffer } {
  const { width, height } = pngSize(png);
  let offset = 8;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') data.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, pixels };
}

function icoEntries(ico: Buffer): { size: number; payload: Buffer }[] {
  return Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
    const entry = 6 + index * 16;
    const offset = ico.readUInt32LE(entry + 12);
    return { size: ico[entry] || 256, payload: ico.subarray(offset, offset + ico.readUInt32LE(entry + 8)) };
  });
}

describe('icons', () => {
  it('keeps the committed app icons identical to what the artwork renders', () => {
    // Pixels, not compressed bytes: another zlib may compress the same pixels differently.
    expect(decodePixels(readFileSync(ICON_PNG_PATH)).pixels.equals(Buffer.from(drawAppIcon(256)))).toBe(true);
    const committed = icoEntries(readFileSync(ICON_ICO_PATH));
    const rendered = icoEntries(renderAppIconFiles().ico);
    expect(committed.map((entry) => entry.size)).toEqual(rendered.map((entry) => entry.size));
    committed.forEach((entry, index) => {
      const expected = rendered[index]!;
      if (entry.size === 256) expect(decodePixels(entry.payload).pixels.equals(decodePixels(expected.payload).pixels)).toBe(true);
      else expect(entry.payload.equals(expected.payload), `${entry.size} px`).toBe(true);
    });
  });

  it('writes an .ico with every size Windows asks for, 256 px among them', () => {
    const ico = readFileSync(ICON_ICO_PATH);
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(ICO_SIZES.length);
    const sizes = ICO_SIZES.map((_, index) => ico[6 + index * 16] || 256);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
    const last = 6 + (ICO_SIZES.length - 1) * 16;
    const offset = ico.readUInt32LE(last + 12);
    expect(pngSize(ico.subarray(offset, offset + ico.readUInt32LE(last + 8)))).toEqual({ width: 256, height: 256 });
  });

  it('round-trips pixels through the PNG encoder', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, index) => (index * 37) % 256);
    const { width, pixels } = decodePixels(encodePng(3, 2, rgba));
    expect(width).toBe(3);
    expect([...pixels]).toEqual([...rgba]);
    expect(() => encodePng(3, 3, rgba)).toThrow('expected 36 bytes');
  });

  it('draws each health level in its own colour at the centre', () => {
    for (const health of ['good', 'warning', 'down'] as const) {
      const pixels = drawHealthDot(32, health);
      const centre = (20 * 32 + 20) * 4;
      expect([...pixels.subarray(centre, centre + 4)]).toEqual([...HEALTH_COLORS[health], 255]);
      expect(pixels[3]).toBe(0); // the corner stays transparent
    }
  });

  it('gives the tray crisp images for 100, 150 and 200 % scaling', () => {
    const images = trayIconImages() as unknown as Record<string, FakeImage>;
    for (const health of ['good', 'warning', 'down']) {
      const representations = images[health]!.representations;
      expect(representations.map((r) => [r.scaleFactor, r.width])).toEqual([
        [1, 16],
        [1.5, 24],
        [2, 32],
      ]);
      expect(pngSize(representations[2]!.buffer!)).toEqual({ width: 32, height: 32 });
    }
  });
});
