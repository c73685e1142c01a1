// npm run bench --prefix cloudflare: the district bench (bench/) inside workerd, as the tests run.
import { defineConfig } from 'vitest/config';
import { workersProject } from './vitest.config';

export default defineConfig(async () => ({
  test: {
    projects: [
      await workersProject({
        name: 'bench',
        include: ['bench/**/*.test.ts'],
        globalSetup: './bench/global-setup.ts',
        testTimeout: 3_600_000,
      }),
    ],
  },
}));
