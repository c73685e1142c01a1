// Where the files shipped with the app are (policy documents, forms, duty rules, migrations,
// package.json): under the folder that holds package.json, found upwards from this module. The
// same code then finds them run from source (tsx) and compiled (node: dist/). Node only; it sits
// with storage, the lowest layer that needs it (the migrations), so every layer above may use it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function appRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`package.json not found above ${start}`);
  }
}

export const APP_ROOT = appRoot();

/** A shipped file or folder, e.g. `shipped('data', 'forms')`. */
export const shipped = (...parts: string[]): string => join(APP_ROOT, ...parts);
