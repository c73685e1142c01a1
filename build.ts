// npm run build: the Node server and the operator commands compiled to dist/, what production runs
// (npm start, the container, the systemd unit). esbuild rather than tsc: one bundle per entry
// resolves the sources' extensionless imports (tsc would emit them unchanged, and Node refuses
// them), in well under a second; npm test runs tsc for the types. Packages stay in node_modules.
// Each file is written under a temporary name and renamed, so a server starting while another
// build runs (tests run several at once) reads a whole file, never a half-written one.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const COMMANDS = ['roster', 'ask', 'kb', 'export', 'jobs', 'backup', 'restore'];

const result = await build({
  entryPoints: {
    node: 'bot/node.ts',
    ...Object.fromEntries(COMMANDS.map((c) => [`cli/${c}`, `bot/cli/${c}.ts`])),
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  write: false,
  logLevel: 'warning',
});
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const partial = `${file.path}.${process.pid}.partial`;
  writeFileSync(partial, file.contents);
  renameSync(partial, file.path);
}
console.log(`built ${result.outputFiles.length} files in dist/`);
