import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

/**
 * The officers' web app, served by the API itself under /app/ (same origin: no CORS). JSX is compiled by
 * Vite's own transformer (automatic runtime), so no React plugin is needed for a production build.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    rollupOptions: {
      // TanStack Query marks its hooks "use client" for server-rendering frameworks: meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '^/(auth|cases|placements|preventions|worklist|subjects|reports|agencies|moratoriums)': 'http://localhost:3000' } },
});
