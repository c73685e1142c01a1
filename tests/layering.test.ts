// The layout's rules, read from the imports: folders depend one way (entries → adapters and jobs
// → core → handlers → domain → storage → the neutral model), a platform is its folder alone (no
// file outside it imports it or names its id, but the registry), and no platform uses another.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../bot/platforms';

const ROOT = join(import.meta.dirname, '..');
const FOLDERS = ['bot', 'cron', 'handlers', 'domain', 'storage', 'cards'];
/** The files that list the platforms: the only ones outside a platform's folder that may name one. */
const REGISTRY = ['bot/platforms.ts', 'bot/platforms-node.ts'];
const platformFolders = PLATFORMS.map((p) => `bot/${p.id}/`);

/** Top to bottom: a file may import its own layer and those below it, never one above. */
const LAYERS: [string, string[]][] = [
  [
    'entries',
    ['bot/node.ts', 'bot/worker.ts', 'bot/statements.ts', 'bot/start.ts', ...REGISTRY, 'bot/cli/', 'bot/server/'],
  ],
  ['adapters and jobs', [...platformFolders, 'cron/']],
  ['core', ['bot/core/', 'bot/app.ts', 'bot/config.ts', 'bot/files.ts', 'bot/web/']],
  ['handlers', ['handlers/']],
  ['domain', ['domain/']],
  ['storage', ['storage/']],
  ['model', ['cards/']],
];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The layer a file is in (by the longest prefix that holds it), or -1. */
function layerOf(file: string): number {
  let best = { at: -1, length: 0 };
  for (const [at, [, prefixes]] of LAYERS.entries()) {
    for (const p of prefixes) {
      if ((file === p || (p.endsWith('/') && file.startsWith(p))) && p.length > best.length)
        best = { at, length: p.length };
    }
  }
  return best.at;
}

/** The repository files a source imports (relative imports of code; data files are no layer's). */
function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specs
    .filter((spec) => !spec.endsWith('.json'))
    .map((spec) => {
      const target = normalize(join(dirname(file), spec));
      return sources(dirname(target)).find((f) => f === `${target}.ts` || f === `${target}/index.ts`) ?? target;
    });
}

/** Code without its comments, so that prose may speak of a platform. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

const all = FOLDERS.flatMap(sources).map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));

describe('the layout', () => {
  it('puts every source file in a layer', () => {
    expect(all.filter(({ file }) => layerOf(file) < 0).map(({ file }) => file)).toEqual([]);
  });

  it('has no folder import a folder above it', () => {
    const upward = all.flatMap(({ file, text }) =>
      importsOf(file, text)
        .filter((target) => layerOf(target) >= 0 && layerOf(target) < layerOf(file))
        .map((target) => `${file} (${LAYERS[layerOf(file)]?.[0]}) imports ${target} (${LAYERS[layerOf(target)]?.[0]})`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps each platform in its folder: nothing else imports it or names its id, but the registry', () => {
    const ids = PLATFORMS.map((p) => p.id);
    const named = all.flatMap(({ file, text }) => {
      if (REGISTRY.includes(file)) return [];
      const own = platformFolders.find((folder) => file.startsWith(folder));
      const imported = importsOf(file, text).filter((target) =>
        platformFolders.some((folder) => target.startsWith(folder) && folder !== own),
      );
      const literals = [...code(text).matchAll(/(['"`])([a-z]+)\1/g)].map((m) => m[2] ?? '');
      const names = own ? [] : literals.filter((literal) => ids.includes(literal));
      return [...imported.map((t) => `${file} imports ${t}`), ...names.map((id) => `${file} names '${id}'`)];
    });
    expect(named).toEqual([]);
  });

  it('loads the heavy packages (exceljs, mammoth, unpdf) when first used, never at start-up', () => {
    const loadedAtStart = all.flatMap(({ file, text }) =>
      [...code(text).matchAll(/^import\s+(?!type\s)[^;]*?from\s+['"](exceljs|mammoth|unpdf)['"]/gm)].map(
        (m) => `${file} imports ${m[1]} at the top`,
      ),
    );
    expect(loadedAtStart).toEqual([]);
  });

  it('reads imports as they are written, so that an upward one would be seen', () => {
    expect(importsOf('handlers/feature.ts', "import type { Assistant } from '../bot/core/assistant';")).toEqual([
      'bot/core/assistant.ts',
    ]);
    expect(
      importsOf('storage/demo.ts', "import { x } from './roster';\nimport demo from '../data/demo.json';"),
    ).toEqual(['storage/roster.ts']);
    expect(layerOf('bot/core/assistant.ts')).toBeLessThan(layerOf('handlers/feature.ts'));
  });
});
