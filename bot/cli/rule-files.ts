// The rule files on disk (Node only; the Worker's build bundles the same files): the self-check
// forms' folder and the duties' file, read and handed to domain/rules.ts. A file that cannot be
// read, or is not JSON, or breaks a rule is a ConfigError: one line naming the file and the field.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duty } from '../../domain/duties';
import type { FormDefinition } from '../../domain/forms';
import { dutiesFrom, formsFrom, type Loaded, type RuleFile, type RuleFiles, rulesFrom } from '../../domain/rules';
import { shipped } from '../../storage/shipped';
import { ConfigError } from '../config';

const loaded = <T>(result: Loaded<T>): T => {
  if (!result.ok) throw new ConfigError(result.message);
  return result.value;
};

/** The `.json` files of the forms' folder, in name order. */
function formFiles(dir: string): RuleFile[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (err) {
    throw new ConfigError(`表单文件夹 ${dir} 读不出来：${(err as Error).message}`);
  }
  return names.map((name) => {
    const path = join(dir, name);
    try {
      return { path, json: JSON.parse(readFileSync(path, 'utf8')) };
    } catch (err) {
      throw new ConfigError(`表单文件 ${path} 不是有效的 JSON：${(err as Error).message}`);
    }
  });
}

function dutiesFile(path: string): RuleFile {
  try {
    return { path, json: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (err) {
    throw new ConfigError(`职责规则文件 ${path} 读不出来：${(err as Error).message}`);
  }
}

/** The forms in `dir`; unset: the shipped data/forms. */
export function loadFormsDir(dir = shipped('data', 'forms')): FormDefinition[] {
  return loaded(formsFrom(dir, formFiles(dir)));
}

/** The duties in `path`; unset: the shipped data/duties.json. */
export function loadDutiesFile(path = shipped('data', 'duties.json')): Duty[] {
  return loaded(dutiesFrom(dutiesFile(path)));
}

/** The forms and the duties the configuration names (unset: the shipped ones), checked together. */
export function loadRules(
  formsDir = shipped('data', 'forms'),
  dutiesPath = shipped('data', 'duties.json'),
): { forms: FormDefinition[]; duties: Duty[] } {
  const duties = dutiesFile(dutiesPath);
  const files: RuleFiles = { forms: { dir: formsDir, files: formFiles(formsDir) }, duties };
  return loaded(rulesFrom(files));
}
