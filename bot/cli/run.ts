// How every CLI runs: `main(args, io)` does the work against `io` (so a test calls it in-process)
// and gives the exit code; a configuration or file problem is one clear line, not a stack trace.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DatabaseOpenError } from '../../storage/sqlite';
import { MigrationError } from '../../storage/sqlite-migrate';
import { ConfigError } from '../config';

/** What a command reads and writes besides its arguments. */
export interface Io {
  env: Record<string, string | undefined>;
  /** Where relative file names are resolved. */
  cwd: string;
  stdin: NodeJS.ReadableStream;
  /** A line on standard output. */
  print(line: string): void;
  /** Text on standard output as it is. */
  write(text: string): void;
  /** A line on standard error. */
  warn(line: string): void;
}

export type Main = (args: string[], io: Io) => Promise<number>;

export const processIo: Io = {
  env: process.env,
  // npm runs a script in its package's folder (cloudflare/ for `--prefix cloudflare`) and says
  // in INIT_CWD where the operator typed the command: their file names are relative to that.
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdin: process.stdin,
  print: (line) => process.stdout.write(`${line}\n`),
  write: (text) => process.stdout.write(text),
  warn: (line) => process.stderr.write(`${line}\n`),
};

/**
 * A command's main: errors it expects (configuration, `known` file problems) become one line on
 * standard error and exit code 1; anything else is printed whole, as a bug.
 */
export function command(body: Main, known: (new (...a: never[]) => Error)[] = []): Main {
  return async (args, io) => {
    try {
      return await body(args, io);
    } catch (err) {
      const clear =
        err instanceof ConfigError ||
        err instanceof DatabaseOpenError ||
        err instanceof MigrationError ||
        known.some((k) => err instanceof k);
      io.warn(clear ? (err as Error).message : String((err as Error)?.stack ?? err));
      return 1;
    }
  };
}

/** Runs `main` on the process's arguments and exits with its code, if `moduleUrl` is the script node started. */
export function runCli(moduleUrl: string, main: Main): void {
  if (!isEntry(moduleUrl)) return;
  main(process.argv.slice(2), processIo).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

function isEntry(moduleUrl: string): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}

/** The value after `--name` in a command line, if given. */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Prints how a command is used; the exit code of a wrong command line. */
export function usage(io: Io, text: string): number {
  io.warn(text);
  return 2;
}
