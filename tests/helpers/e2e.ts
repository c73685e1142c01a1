// The bot as its own process for the end-to-end tests, as `npm run dev` starts it (no build, so
// test files running at once never write dist/ together), on a fresh database unless the
// environment names one; and headless Chromium from Debian's package.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts `npm run dev`'s entry; resolves with the simulator's address once it prints it. */
export async function startBot(
  env: Record<string, string> = {},
): Promise<{ server: ChildProcess; simUrl: string; dbPath: string }> {
  const dbPath = env.ZHIBU_DB ?? join(mkdtempSync(join(tmpdir(), 'zhibu-e2e-')), 'zhibu.db');
  const server = spawn(process.execPath, ['--import', 'tsx', 'bot/node.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ZHIBU_DB: dbPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { server, simUrl: await simulatorAddress(server), dbPath };
}

/** The simulator's address once the starting bot prints it; rejects with its output if it exits first. */
export function simulatorAddress(server: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/模拟器：(http:\/\/\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`the bot exited with ${code}: ${out}`)));
  });
}

/** Stops it as a service manager would (SIGTERM) and waits until it has gone. */
export async function stopBot(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGTERM');
  await exited;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
