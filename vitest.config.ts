import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and ffmpeg tests share two cores; more parallel files only adds noise and timeouts.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
