// Brings the test D1 up to date (idempotent: applied migrations are recorded in d1_migrations,
// as `wrangler d1 migrations apply` records them).
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
