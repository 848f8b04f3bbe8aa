/**
 * Remembers the dashboard window's size and position between runs, in its own small
 * electron-store file. Losing it is harmless, so a damaged file simply starts over.
 */
import ElectronStore from 'electron-store';
import { z } from 'zod';

const boundsSchema = z.object({
  x: z.int(),
  y: z.int(),
  width: z.int().min(200).max(20_000),
  height: z.int().min(200).max(20_000),
});

const windowStateSchema = z.object({ bounds: boundsSchema.optional(), maximized: z.boolean().default(false) });

export type WindowBounds = z.infer<typeof boundsSchema>;
export type WindowState = z.infer<typeof windowStateSchema>;

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class WindowBoundsStore {
  readonly #store: ElectronStore<Record<string, unknown>>;

  constructor(options: { directory?: string } = {}) {
    this.#store = new ElectronStore<Record<string, unknown>>({
      name: 'window-state',
      ...(options.directory !== undefined ? { cwd: options.directory } : {}),
      clearInvalidConfig: true,
      watch: false,
    });
  }

  load(): WindowState {
    const parsed = windowStateSchema.safeParse(this.#store.store);
    return parsed.success ? parsed.data : { maximized: false };
  }

  save(state: WindowState): void {
    this.#store.store = state.bounds ? { bounds: state.bounds, maximized: state.maximized } : { maximized: state.maximized };
  }
}

/** Saved bounds are used only if enough of the window would land on a screen that exists now. */
export function isVisibleOnSomeDisplay(bounds: Area, workAreas: readonly Area[]): boolean {
  const minimumVisible = 100;
  return workAreas.some((area) => {
    const overlapWidth = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const overlapHeight = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return overlapWidth >= minimumVisible && overlapHeight >= minimumVisible;
  });
}
