// Reads the self-check form definitions, one JSON file each, from a folder (Node only; Workers
// bundle the shipped ones). A bad file is a ConfigError naming the file and the field.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFormSet, type FormDefinition, parseForm } from '../../domain/forms';
import { shipped } from '../../storage/shipped';
import { ConfigError } from '../config';

/** The forms in `dir`; unset: the shipped data/forms. */
export function loadFormsDir(dir = shipped('data', 'forms')): FormDefinition[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (err) {
    throw new ConfigError(`表单文件夹 ${dir} 读不出来：${(err as Error).message}`);
  }
  const forms: FormDefinition[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new ConfigError(`表单文件 ${path} 不是有效的 JSON：${(err as Error).message}`);
    }
    const parsed = parseForm(json);
    if (!parsed.ok) throw new ConfigError(`表单文件 ${path}：${parsed.message}`);
    forms.push(parsed.form);
  }
  const problem = checkFormSet(forms);
  if (problem) throw new ConfigError(`表单文件夹 ${dir}：${problem}`);
  return forms;
}
