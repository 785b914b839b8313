/**
 * Builds the renderer (React) into desktop/renderer/dist with relative paths, so the same files
 * load from Electron's file:// page and from the dev host's loopback server. No inline script or
 * style ends up in the page (the CSP forbids both).
 */
import react from '@vitejs/plugin-react';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

// eslint-disable-next-line no-restricted-syntax -- Vite reads its config from the default export.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: join(root, 'dist'),
    emptyOutDir: true,
    // Inlined assets would become data: URLs; keep every asset a file under the page's origin.
    assetsInlineLimit: 0,
    // The window loads nothing from elsewhere; no source maps in the shipped app.
    sourcemap: false,
    target: 'chrome130',
  },
  server: { host: '127.0.0.1', strictPort: true },
});
