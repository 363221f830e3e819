import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromRoot = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Requests for the API server. With root at src/web, the dev server also serves the client's own
 * modules from /api/*.ts (src/web/api/), so those must not be forwarded.
 */
export const API_PROXY_PATH = '^/api/(?!.*\\.(?:tsx?|jsx?|mjs|css)(?:\\?|$))';
const apiProxy = (target: string) => ({ [API_PROXY_PATH]: { target, changeOrigin: false } });

// The admin SPA lives in src/web; the server serves dist/web with an SPA fallback.
export default defineConfig({
  root: fromRoot('./src/web'),
  base: '/',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: fromRoot('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      // Second entry: the phone vote page (src/web/vote), plain TS without React, served at /vote/.
      input: {
        main: fromRoot('./src/web/index.html'),
        vote: fromRoot('./src/web/vote/index.html'),
        // The survey questionnaire: a second page of the vote entry, same stylesheet, no React.
        survey: fromRoot('./src/web/vote/survey.html'),
      },
      output: {
        // React and the router change rarely: their own long-cached chunk. antd is left to the
        // automatic splitter so each lazy page only pulls in the components it uses.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: apiProxy('http://localhost:3000'),
  },
  preview: {
    proxy: apiProxy('http://localhost:3000'),
  },
});
