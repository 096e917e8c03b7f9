/**
 * Builds the browser side of framesmith.
 * - mode `runtime`: the composition runtime (`runtime/`) into `dist/runtime/`, one classic script
 *   (IIFE) that the servers inject as the first script of a composition page, so it runs before
 *   any page script.
 * - mode `preview`: the dev server's preview page (`preview/`, the UI around the iframe; an ES
 *   module, our own page) into `dist/preview/`.
 * `scripts/build.mjs` runs both modes.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig(({ mode }) => {
  if (mode === 'preview') {
    const entry = resolve(root, 'preview/main.ts');
    return {
      logLevel: 'warn',
      build: {
        outDir: 'dist/preview',
        emptyOutDir: true,
        target: 'es2022',
        minify: true,
        sourcemap: true,
        lib: existsSync(entry) ? { entry, formats: ['es'], fileName: () => 'overlay.js', cssFileName: 'overlay' } : undefined,
      },
    };
  }
  return {
    logLevel: 'warn',
    build: {
      outDir: 'dist/runtime',
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      sourcemap: true,
      lib: {
        entry: resolve(root, 'runtime/index.ts'),
        name: 'framesmithRuntime',
        formats: ['iife'],
        fileName: () => 'runtime.js',
      },
    },
  };
});
