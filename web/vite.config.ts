import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app: root web/, built to web/dist with relative asset paths so the service can serve it from any
 * prefix. `npm run dev:web` proxies /api to a running service (LIFECIRCLE_API, default http://127.0.0.1:8080).
 */
export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // maplibre alone is ~1 MB minified; one chunk is what an intranet server serves best
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': process.env.LIFECIRCLE_API ?? 'http://127.0.0.1:8080' },
  },
});
