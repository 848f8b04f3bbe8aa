/**
 * Packs several square RGBA images into a Windows .ico file. Sizes below 256 are stored as
 * classic 32-bit bitmaps, which every Windows tool (NSIS included) reads; the 256 px image is
 * stored as PNG, as Windows Vista and later expect.
 */
import { encodePng } from '../electron/icons/png-encoder.js';

export interface IcoImage {
  size: number;
  rgba: Uint8Array;
}

const DIRECTORY_HEADER = 6;
const DIRECTORY_ENTRY = 16;

export function encodeIco(images: readonly IcoImage[]): Buffer {
  const payloads = images.map((image) => (image.size >= 256 ? encodePng(image.size, image.size, image.rgba) : bitmap(image)));
  const header = Buffer.alloc(DIRECTORY_HEADER);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = DIRECTORY_HEADER + DIRECTORY_ENTRY * images.length;
  const entries = images.map((image, index) => {
    const payload = payloads[index] as Buffer;
    const entry = Buffer.alloc(DIRECTORY_ENTRY);
    entry[0] = image.size >= 256 ? 0 : image.size; // 0 stands for 256
    entry[1] = image.size >= 256 ? 0 : image.size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(payload.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += payload.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...payloads]);
}

/** A BITMAPINFOHEADER image: BGRA rows bottom-up, then a 1-bit AND mask (all zero: alpha decides). */
function bitmap(image: IcoImage): Buffer {
  const { size, rgba } = image;
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // colour and mask stacked
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(size * size * 4, 20);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    const sourceRow = (size - 1 - y) * size * 4;
    for (let x = 0; x < size; x++) {
      const from = sourceRow + x * 4;
      const to = (y * size + x) * 4;
      pixels[to] = rgba[from + 2] ?? 0;
      pixels[to + 1] = rgba[from + 1] ?? 0;
      pixels[to + 2] = rgba[from] ?? 0;
      pixels[to + 3] = rgba[from + 3] ?? 0;
    }
  }
  const maskRowBytes = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskRowBytes * size);
  return Buffer.concat([info, pixels, mask]);
}
