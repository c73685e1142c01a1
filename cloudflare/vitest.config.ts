// Two projects. `workers`: the Worker entry inside workerd (vitest-pool-workers), on a local D1
// that each test file migrates from storage/migrations, the folder wrangler and the Node migrator
// both read. `cli`: the operator commands on a local D1 through wrangler, run in Node as an
// operator runs them.
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig(async () => ({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            main: here('../bot/worker.ts'),
            wrangler: { configPath: here('../wrangler.toml') },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(here('../storage/migrations')),
                // The simulator lets the tests talk to the bot without platform keys.
                ZHIBU_SIMULATOR: '1',
                // Signed links to the meeting workbook (exceljs in workerd).
                ZHIBU_PUBLIC_URL: 'https://bot.test',
                ZHIBU_LINK_SECRET: 'test-link-secret-0123456789',
              },
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/cli/**'],
          setupFiles: ['./test/apply-migrations.ts'],
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          environment: 'node',
          // Each command starts wrangler a few times; on a busy machine that takes a while.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
}));
