// The real server (bot/node.ts) in its own process, as `npm start` runs it: its address, its log
// lines as they come, and how it ended. Only the variables given reach it (no stray ZHIBU_* of the
// machine running the tests).
import { type ChildProcess, spawn } from 'node:child_process';

export interface ServerProcess {
  /** http://localhost:<port> */
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stderr (the log) so far. */
  log(): string;
  /** Resolves when a log line matches; rejects when the process exits first. */
  waitForLog(pattern: RegExp): Promise<string>;
  stop(): Promise<void>;
}

function spawnServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'bot/node.ts'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts the server and resolves once it listens. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawnServer(env);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void; reject: (err: Error) => void }>();
  const exited = () => new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${stderr}`);
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
    for (const w of waiters) {
      const line = stderr.split('\n').find((l) => w.pattern.test(l));
      if (line) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  });
  child.on('exit', () => {
    for (const w of waiters) w.reject(exited());
    waiters.clear();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const m = stdout.match(/支部助手已启动：(http:\/\/\S+)/);
      if (!m?.[1]) return;
      resolve({
        url: m[1].replace('localhost', '127.0.0.1'),
        child,
        log: () => stderr,
        waitForLog(pattern) {
          const line = stderr.split('\n').find((l) => pattern.test(l));
          if (line) return Promise.resolve(line);
          if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(exited());
          return new Promise((res, rej) => waiters.add({ pattern, resolve: res, reject: rej }));
        },
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', () => reject(exited()));
  });
}

/** Starts the server for a start-up it should refuse: its exit code and log, or `started` when it did start. */
export function startUpOutcome(env: Record<string, string>): Promise<{ code: number | 'started'; stderr: string }> {
  const child = spawnServer(env);
  let stderr = '';
  let started = false;
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout?.on('data', (chunk) => {
    if (!String(chunk).includes('支部助手已启动')) return;
    started = true;
    child.kill('SIGTERM');
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code: started ? 'started' : (code ?? -1), stderr })),
  );
}
