import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Integration tests bind real loopback ports and spawn processes: keep them from starving
    // each other on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for a state the system must reach (a probe answered, a drain finished); a
    // machine busy with the other test files can take longer than the 1 s default to get there.
    expect: { poll: { timeout: 10_000 } },
    // electron-store must resolve `electron` through the tests' mock, not the real package (which
    // throws in plain Node), so it is run through Vite instead of being loaded as is.
    server: { deps: { inline: ['electron-store'] } },
  },
});
