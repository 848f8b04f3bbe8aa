import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs: the page is loaded from file:// in Electron and from the admin port in a browser.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Inline module preloads would need an inline script, which the page's CSP forbids.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
});
