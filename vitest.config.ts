import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests drive a real Chromium classroom on a 2-core machine: run files one at a
    // time so that one test's load never shows up as another test's false freeze.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
