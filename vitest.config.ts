import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // dist/, built once: tests start the server and commands compiled, as production runs them.
    globalSetup: ['tests/global-setup.ts'],
    // Tests share nothing but the machine: each opens its own in-memory database.
    pool: 'forks',
    testTimeout: 20_000,
  },
});
