/**
 * Switchboard's icons, drawn in code so every size is rendered crisp from one description: the
 * tray's health dots (good / warning / down) and the app icon (a gateway fanning out to three
 * servers, the last one drained). Shapes are given in a unit square and anti-aliased by
 * supersampling; the result is straight RGBA.
 */
import type { TrayHealth } from '../tray/tray-health.js';

type Rgb = readonly [number, number, number];
/** Signed distance from a point of the unit square to a shape's edge; negative inside. */
type Shape = (x: number, y: number) => number;

export const HEALTH_COLORS: Record<TrayHealth, Rgb> = {
  good: [0x2e, 0xa0, 0x4f],
  warning: [0xe8, 0xa3, 0x17],
  down: [0xd1, 0x34, 0x38],
};

export function drawHealthDot(size: number, health: TrayHealth): Uint8Array {
  const raster = new Raster(size);
  const color = HEALTH_COLORS[health];
  raster.fill(circle(0.5, 0.5, 0.44), darker(color, 0.55));
  raster.fill(circle(0.5, 0.5, 0.44 - Math.max(1 / size, 0.06)), color);
  raster.fill(circle(0.4, 0.38, 0.12), [255, 255, 255], 0.35);
  return raster.pixels;
}

export function drawAppIcon(size: number): Uint8Array {
  const raster = new Raster(size);
  const background: Rgb = [0x1f, 0x4e, 0x9c];
  const white: Rgb = [255, 255, 255];
  const muted: Rgb = [0x8f, 0xa8, 0xd0];
  raster.fill(roundedSquare(0.04, 0.96, 0.2), background);
  const hub = { x: 0.3, y: 0.5 };
  const servers = [
    { y: 0.27, color: white },
    { y: 0.5, color: white },
    { y: 0.73, color: muted },
  ];
  for (const server of servers) raster.fill(segment(hub.x, hub.y, 0.72, server.y, 0.035), server.color);
  raster.fill(circle(hub.x, hub.y, 0.11), white);
  for (const server of servers) raster.fill(circle(0.72, server.y, 0.075), server.color);
  return raster.pixels;
}

class Raster {
  readonly pixels: Uint8Array;
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
    this.pixels = new Uint8Array(size * size * 4);
  }

  /** Paints `shape` over what is there, weighted by how much of each pixel it covers. */
  fill(shape: Shape, color: Rgb, opacity = 1): void {
    const samples = 4;
    const size = this.#size;
    for (let py = 0; py < size; py++) {
      for (let px = 0; px < size; px++) {
        let inside = 0;
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            const x = (px + (sx + 0.5) / samples) / size;
            const y = (py + (sy + 0.5) / samples) / size;
            if (shape(x, y) <= 0) inside++;
          }
        }
        if (inside > 0) this.#blend(px, py, color, (inside / (samples * samples)) * opacity);
      }
    }
  }

  #blend(px: number, py: number, color: Rgb, alpha: number): void {
    const offset = (py * this.#size + px) * 4;
    const below = (this.pixels[offset + 3] ?? 0) / 255;
    const outAlpha = alpha + below * (1 - alpha);
    for (let channel = 0; channel < 3; channel++) {
      const under = this.pixels[offset + channel] ?? 0;
      const over = color[channel] ?? 0;
      this.pixels[offset + channel] = Math.round((over * alpha + under * below * (1 - alpha)) / outAlpha);
    }
    this.pixels[offset + 3] = Math.round(outAlpha * 255);
  }
}

function circle(cx: number, cy: number, radius: number): Shape {
  return (x, y) => Math.hypot(x - cx, y - cy) - radius;
}

function segment(x1: number, y1: number, x2: number, y2: number, halfWidth: number): Shape {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const lengthSquared = dx * dx + dy * dy;
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / lengthSquared));
    return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) - halfWidth;
  };
}

function roundedSquare(from: number, to: number, radius: number): Shape {
  const center = (from + to) / 2;
  const half = (to - from) / 2 - radius;
  return (x, y) => {
    const qx = Math.abs(x - center) - half;
    const qy = Math.abs(y - center) - half;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };
}

function darker(color: Rgb, factor: number): Rgb {
  return [Math.round(color[0] * factor), Math.round(color[1] * factor), Math.round(color[2] * factor)];
}
