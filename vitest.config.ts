import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and ffmpeg tests share two cores; more parallel files only adds noise and timeouts.
    maxWorkers: 2,
    fileParallelism: true,
    // Caches framesmith writes for users (Vite's dependency cache…) go to a folder of this run.
    env: { FRAMESMITH_CACHE_DIR: join(tmpdir(), `framesmith-test-cache-${process.pid}`) },
  },
});
