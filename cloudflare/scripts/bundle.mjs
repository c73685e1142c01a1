// What a Worker cannot read from disk, bundled by its build from the same files Node reads: the
// shipped policy documents (data/corpus/*.txt → cloudflare/corpus.json, indexed into D1 by the
// Worker) and the rules (data/forms/*.json and data/duties.json → cloudflare/rules.json, loaded
// by domain/rules.ts as on Node). A form dropped into data/forms is in the next build.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const data = (path) => new URL(`../../data/${path}`, import.meta.url).pathname;
const out = (name) => new URL(`../${name}`, import.meta.url);

const corpus = readdirSync(data('corpus'))
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((source) => ({ source, text: readFileSync(join(data('corpus'), source), 'utf8') }));
writeFileSync(out('corpus.json'), JSON.stringify(corpus));

const rule = (path) => ({ path: `data/${path}`, json: JSON.parse(readFileSync(data(path), 'utf8')) });
const forms = readdirSync(data('forms'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => rule(`forms/${f}`));
writeFileSync(
  out('rules.json'),
  JSON.stringify({ forms: { dir: 'data/forms', files: forms }, duties: rule('duties.json') }),
);
console.log(
  `cloudflare/corpus.json: ${corpus.length} documents; cloudflare/rules.json: ${forms.length} forms and the duties`,
);
