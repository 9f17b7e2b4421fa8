import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// React without @vitejs/plugin-react: esbuild compiles JSX with the automatic runtime.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0 },
  logLevel: 'warn',
});
