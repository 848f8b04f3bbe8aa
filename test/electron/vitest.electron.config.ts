/**
 * The root vitest config plus the one setting the desktop-shell tests need: electron-store must
 * be transformed by vitest (not loaded by Node directly) so that it sees the mocked `electron`.
 * Until the root config carries `server.deps.inline: ['electron-store']`, run these tests with
 * `npx vitest run --config test/electron/vitest.electron.config.ts test/electron`.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default mergeConfig(base, defineConfig({ test: { server: { deps: { inline: ['electron-store'] } } } }));
