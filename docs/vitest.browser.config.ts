import { defineConfig } from 'vitest/config';

// The browser test drives the built site in Chromium; kept out of the main `npm test` run.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['browser/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
