// The rules in force, from their files: the self-check forms (a file each, in one folder) and the
// recurring duties (one file), each checked, then together (a duty that opens a form names one
// there). Both runtimes load them here from the same files: Node reads them from disk
// (bot/cli/rule-files.ts), the Worker gets them bundled by its build (cloudflare/scripts/bundle.mjs).
import { checkOpens, type Duty, parseDuties } from './duties';
import { checkFormSet, type FormDefinition, parseForm } from './forms';

/** A rule file as read: where it came from (for messages) and its JSON. */
export interface RuleFile {
  path: string;
  json: unknown;
}

export interface RuleFiles {
  /** The forms' folder and its files, in name order. */
  forms: { dir: string; files: readonly RuleFile[] };
  duties: RuleFile;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

/** A folder's forms: a bad file is named with its field; then the set is checked. */
export function formsFrom(dir: string, files: readonly RuleFile[]): Loaded<FormDefinition[]> {
  const forms: FormDefinition[] = [];
  for (const file of files) {
    const parsed = parseForm(file.json);
    if (!parsed.ok) return { ok: false, message: `表单文件 ${file.path}：${parsed.message}` };
    forms.push(parsed.form);
  }
  const problem = checkFormSet(forms);
  return problem ? { ok: false, message: `表单文件夹 ${dir}：${problem}` } : { ok: true, value: forms };
}

/** The duties in force, or the rule and field that are wrong. */
export function dutiesFrom(file: RuleFile): Loaded<Duty[]> {
  const parsed = parseDuties(file.json);
  return parsed.ok
    ? { ok: true, value: parsed.duties }
    : { ok: false, message: `职责规则文件 ${file.path}：${parsed.message}` };
}

/** Forms and duties together. */
export function rulesFrom(files: RuleFiles): Loaded<{ forms: FormDefinition[]; duties: Duty[] }> {
  const duties = dutiesFrom(files.duties);
  if (!duties.ok) return duties;
  const forms = formsFrom(files.forms.dir, files.forms.files);
  if (!forms.ok) return forms;
  const problem = checkOpens(
    duties.value,
    forms.value.map((f) => f.id),
  );
  return problem ? { ok: false, message: problem } : { ok: true, value: { forms: forms.value, duties: duties.value } };
}
