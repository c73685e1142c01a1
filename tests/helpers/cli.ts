// A CLI's main called in-process, as `npm run <cli> -- …` calls it, with what it printed: the
// command line and the exit code are the same, without a process start per call.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Main } from '../../bot/cli/run';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  env?: Record<string, string | undefined>;
  /** Where relative file names go (default: a fresh temporary folder). */
  cwd?: string;
  stdin?: string;
}

export async function runMain(main: Main, args: string[], opts: CliRun = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    // Never the default database under data/: a test names its own, or gets one in memory.
    env: { ZHIBU_DB: ':memory:', ...opts.env },
    cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'zhibu-cli-')),
    stdin: Readable.from([opts.stdin ?? '']),
    print: (line) => {
      stdout += `${line}\n`;
    },
    write: (text) => {
      stdout += text;
    },
    warn: (line) => {
      stderr += `${line}\n`;
    },
  });
  return { code, stdout, stderr };
}
