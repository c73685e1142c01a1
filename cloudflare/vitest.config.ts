// Two projects. `workers`: the Worker entry inside workerd (vitest-pool-workers), on a local D1
// that each test file migrates from storage/migrations, the folder wrangler and the Node migrator
// both read. `cli`: the operator commands on a local D1 through wrangler, run in Node as an
// operator runs them. The bench (vitest.bench.config.ts) runs the same workers setup.
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Files run inside workerd against the Worker entry, with the fakes `globalSetup` starts. */
export async function workersProject(test: {
  name: string;
  include: string[];
  exclude?: string[];
  globalSetup: string;
  testTimeout: number;
}): Promise<TestProjectInlineConfiguration> {
  return {
    plugins: [
      cloudflareTest({
        main: here('../bot/worker.ts'),
        wrangler: { configPath: here('../wrangler.toml') },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(here('../storage/migrations')),
            // The simulator lets the tests talk to the bot without platform keys.
            ZHIBU_SIMULATOR: '1',
            // Whatever a developer's .dev.vars says: each test seeds what it needs.
            ZHIBU_DEMO: '0',
            // Signed links to the meeting workbook (exceljs in workerd).
            ZHIBU_PUBLIC_URL: 'https://bot.test',
            ZHIBU_LINK_SECRET: 'test-link-secret-0123456789',
          },
        },
      }),
    ],
    test: { ...test, setupFiles: ['./test/apply-migrations.ts'], globalSetup: [test.globalSetup] },
  };
}

export default defineConfig(async () => ({
  test: {
    projects: [
      await workersProject({
        name: 'workers',
        include: ['test/**/*.test.ts'],
        exclude: ['test/cli/**'],
        globalSetup: './test/global-setup.ts',
        testTimeout: 30_000,
      }),
      {
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          environment: 'node',
          // Each command starts wrangler's local runtime; on a busy machine that takes a while.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
}));
