// The container and the service, checked without Docker (none in CI): the Dockerfile read as
// Docker reads it (a build stage with the compiler toolchain, a non-root run stage with the data
// on a volume, a health check, the compiled start), then its run stage laid out from the files
// it copies and started as its CMD says, answering its own HEALTHCHECK. compose.yaml and the
// systemd unit start the same compiled server with the data in the same place.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startServer } from './helpers/server';

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's stages, each its instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Instruction[][] {
  const logical = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const [, op = '', args = ''] = line.match(/^(\S+)\s+(.*)$/) ?? [];
    if (op.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)?.push({ op: op.toUpperCase(), args: args.trim() });
  }
  return stages;
}

const all = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op).map((i) => i.args);

/** ENV lines (`A=1 B=2` form) as one record. */
function envOf(stage: Instruction[]): Record<string, string> {
  return Object.fromEntries(all(stage, 'ENV').flatMap((a) => [...a.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])));
}

const stages = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const build = stages[0] ?? [];
const run = stages.at(-1) ?? [];

describe('Dockerfile', () => {
  it('builds with the compiler toolchain and compiles, in a stage of its own', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(all(build, 'FROM')[0]).toMatch(/^node:20\S* AS build$/);
    expect(all(build, 'RUN').join('\n')).toMatch(/apt-get install .*python3 make g\+\+/);
    expect(all(build, 'RUN').join('\n')).toContain('npm run build');
  });

  it('runs the compiled server on slim Node 20 as a non-root user, data and backups on a volume, with a health check', () => {
    expect(all(run, 'FROM')[0]).toMatch(/^node:20-\S*slim$/);
    const user = all(run, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
    const volumes = all(run, 'VOLUME').flatMap((v) =>
      v.startsWith('[') ? (JSON.parse(v) as string[]) : v.split(/\s+/),
    );
    const env = envOf(run);
    const onVolume = (path = '') => volumes.some((v) => path === v || path.startsWith(`${v}/`));
    expect(onVolume(env.ZHIBU_DB)).toBe(true);
    expect(onVolume(env.ZHIBU_BACKUP_DIR)).toBe(true);
    expect(env.ZHIBU_LOG).toBe('json');
    expect(all(run, 'HEALTHCHECK')[0]).toContain('/healthz');
    expect(JSON.parse(all(run, 'CMD').at(-1) ?? '[]')).toEqual(['node', 'dist/node.js']);
  });

  it('starts from the files its run stage copies, as its CMD says, and passes its own HEALTHCHECK', async () => {
    // The image's /app, laid out from the COPY --from=build lines (node_modules linked, not copied).
    const root = mkdtempSync(join(tmpdir(), 'zhibu-image-'));
    const app = join(root, 'app');
    for (const copy of all(run, 'COPY')) {
      const [, from = '', to = ''] = copy.match(/^--from=build \/app\/(\S+) \.\/(\S+)$/) ?? [];
      expect(from, copy).not.toBe('');
      mkdirSync(dirname(join(app, to)), { recursive: true });
      if (from === 'node_modules') symlinkSync(join(process.cwd(), from), join(app, to));
      else cpSync(from, join(app, to), { recursive: true });
    }
    const env = envOf(run);
    const volume = join(root, 'volume');
    const inVolume = (p = '') => join(volume, posix.relative('/var/lib/zhibu', p));
    const [command, ...args] = JSON.parse(all(run, 'CMD').at(-1) ?? '[]') as string[];
    expect(command).toBe('node');
    const server = await startServer(
      { ...env, PORT: '0', ZHIBU_DB: inVolume(env.ZHIBU_DB), ZHIBU_BACKUP_DIR: inVolume(env.ZHIBU_BACKUP_DIR) },
      { cwd: app, args },
    );
    try {
      const health = all(run, 'HEALTHCHECK')[0]?.match(/CMD (\[.*\])$/)?.[1] ?? '[]';
      const [probe, ...probeArgs] = JSON.parse(health) as string[];
      expect(probe).toBe('node');
      const port = new URL(server.url).port;
      await expect(
        promisify(execFile)(process.execPath, probeArgs, { env: { ...process.env, PORT: port } }),
      ).resolves.toBeDefined();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});

describe('compose.yaml and the systemd unit', () => {
  it('start the same compiled server, the data where the image keeps it, logging JSON', () => {
    const compose = readFileSync('compose.yaml', 'utf8');
    const env = envOf(run);
    expect(compose).toContain('build: .');
    expect(compose).toContain(`ZHIBU_DB: ${env.ZHIBU_DB}`);
    expect(compose).toMatch(/- zhibu-data:\/var\/lib\/zhibu\n/);
    expect(compose).toContain('ZHIBU_LOG: json');
    const unit = readFileSync('deploy/zhibu.service', 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node dist\/node\.js$/m);
    expect(unit).toMatch(/^Environment=ZHIBU_LOG=json$/m);
    expect(unit).toMatch(/^User=(?!root)\w+$/m);
    expect(unit).toMatch(/^StateDirectory=zhibu$/m);
    expect(unit).toContain(`Environment=ZHIBU_DB=${env.ZHIBU_DB}`);
  });
});
