// The real server in its own process, compiled (dist/node.js, built by tests/global-setup.ts) as
// `npm start` and production run it: its address, what it printed line by line, and how it ended.
// Only the variables given reach it (no stray ZHIBU_* of the machine running the tests); it logs
// JSON lines (ZHIBU_LOG=json, as in production) unless a test asks otherwise.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';

export interface LogEvent {
  level: 'info' | 'warn' | 'error';
  time: string;
  msg: string;
  [field: string]: unknown;
}

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  /** What the process printed, line by line, on each stream. */
  stdout: string[];
  stderr: string[];
  /** Everything it wrote to stderr (warnings and errors) so far. */
  log(): string;
  /** Resolves when a line on stderr matches; rejects when the process exits first. */
  waitForLog(pattern: RegExp): Promise<string>;
  /** Sends `signal` (SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The server stopped before it started serving. */
export class ServerExit extends Error {
  constructor(
    readonly code: number | null,
    readonly stdout: string[],
    readonly stderr: string[],
  ) {
    super(`the server exited with ${code}:\n${[...stdout, ...stderr].join('\n')}`);
  }

  /** What it printed besides its log events: the lines a person reads. */
  get said(): string[] {
    return [...this.stdout, ...this.stderr].filter((l) => l !== '' && !parseEvent(l));
  }
}

interface Spawned {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** The address once it serves (the `zhibu started` event, in either log format). */
  started: Promise<string>;
}

/** `node <args>` from `cwd`: by default this checkout's dist/node.js. */
function spawnServer(env: Record<string, string>, opts: { cwd?: string; args?: string[] } = {}): Spawned {
  const child = spawn(process.execPath, opts.args ?? ['dist/node.js'], {
    cwd: opts.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ZHIBU_LOG: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const started = new Promise<string>((resolve, reject) => {
    collect(child.stdout, stdout, (line) => {
      const url = line.match(/zhibu started.*"url":"(http:\/\/[^"]+)"/)?.[1];
      if (url) resolve(url.replace('localhost', '127.0.0.1'));
    });
    collect(child.stderr, stderr);
    void exited.then((code) => reject(new ServerExit(code, stdout, stderr)));
  });
  started.catch(() => {}); // a caller that only wants the outcome reads it from `exited`
  return { child, stdout, stderr, exited, started };
}

/** Starts the server with `env`; resolves once it serves, rejects with a ServerExit if it exits first. */
export async function startServer(
  env: Record<string, string>,
  opts: { cwd?: string; args?: string[] } = {},
): Promise<ServerProcess> {
  const { child, stdout, stderr, exited, started } = spawnServer(env, opts);
  const url = await started;
  return {
    url,
    child,
    stdout,
    stderr,
    log: () => stderr.join('\n'),
    async waitForLog(pattern) {
      for (;;) {
        const line = stderr.find((l) => pattern.test(l));
        if (line) return line;
        if (child.exitCode !== null || child.signalCode !== null) throw new ServerExit(child.exitCode, stdout, stderr);
        await Promise.race([once(child.stderr as NodeJS.ReadableStream, 'data'), exited]);
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts the server for a start-up it should refuse: its exit code and stderr, or `started` when it did start. */
export async function startUpOutcome(
  env: Record<string, string>,
): Promise<{ code: number | 'started'; stderr: string }> {
  const { child, stderr, exited, started } = spawnServer(env);
  const outcome = await started.then(
    () => 'started' as const,
    () => undefined,
  );
  if (outcome) child.kill('SIGTERM');
  const code = await exited;
  return { code: outcome ?? code ?? -1, stderr: stderr.join('\n') };
}

function collect(stream: NodeJS.ReadableStream | null, lines: string[], onLine?: (line: string) => void): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      onLine?.(line);
    }
  });
  stream?.on('end', () => {
    if (rest) lines.push(rest);
  });
}

/** A JSON log line as an event; undefined for anything else. */
export function parseEvent(line: string): LogEvent | undefined {
  try {
    const event = JSON.parse(line) as LogEvent;
    return typeof event === 'object' && event !== null && typeof event.msg === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run <script> -- args`, as an operator runs it in a checkout. */
export const npmRun = (script: string, args: string[], env: Record<string, string>) =>
  run('npm', ['run', '--silent', script, '--', ...args], env);

/** An operator command compiled (`node dist/cli/<name>.js args`), as the container runs it. */
export const compiledCommand = (name: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, [`dist/cli/${name}.js`, ...args], env);

async function run(file: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
