/** freePort: ports asked for one after the other are never the same, though the system may offer one again. */
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../demo/free-port.js';

describe('freePort', () => {
  it('hands out a different port each time, each one free to listen on', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});
