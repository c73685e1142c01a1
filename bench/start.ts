// Cold start as `npm start` runs it: the compiled server (dist/node.js, built first) from spawn to
// its `zhibu started` line, on a database it created on a first start. Prints one JSON line: the
// median and the slowest of five starts.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const db = join(mkdtempSync(join(tmpdir(), 'zhibu-start-')), 'zhibu.db');

/** Milliseconds from spawn to ready; rejects when the server exits first or takes over 30 s. */
function startOnce(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/node.js'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ZHIBU_LOG: 'json', ZHIBU_DB: db },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('not ready within 30 s')), 30_000);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('zhibu started')) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}`));
    });
  }).finally(() => {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    return new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  });
}

await startOnce(); // creates and migrates the database, loads the shipped documents
const times: number[] = [];
for (let i = 0; i < 5; i++) times.push(await startOnce());
times.sort((a, b) => a - b);
console.log(JSON.stringify({ medianMs: times[2], maxMs: times[4] }));
