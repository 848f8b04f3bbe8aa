/** The tray's health icons and the window icon as native images, drawn at each display scaling. */
import { nativeImage, type NativeImage } from 'electron';
import { drawAppIcon, drawHealthDot } from './icon-artwork.js';
import { encodePng } from './png-encoder.js';
import type { TrayHealth } from '../tray/tray-health.js';

const SCALE_FACTORS = [1, 1.5, 2];

export function trayIconImages(): Record<TrayHealth, NativeImage> {
  return {
    good: render(16, (size) => drawHealthDot(size, 'good')),
    warning: render(16, (size) => drawHealthDot(size, 'warning')),
    down: render(16, (size) => drawHealthDot(size, 'down')),
  };
}

export function windowIconImage(): NativeImage {
  return render(32, drawAppIcon);
}

function render(baseSize: number, draw: (size: number) => Uint8Array): NativeImage {
  const image = nativeImage.createEmpty();
  for (const scaleFactor of SCALE_FACTORS) {
    const size = Math.round(baseSize * scaleFactor);
    image.addRepresentation({ scaleFactor, width: size, height: size, buffer: encodePng(size, size, draw(size)) });
  }
  return image;
}
