import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // one redlua server for the whole run, started before the first test file
    globalSetup: ['./redis.setup.js'],
  },
});
