// Reads the duties' rules file (Node only; Workers bundle the JSON). A bad file is a ConfigError:
// start-up stops with one line naming the file, the rule and the field.
import { readFileSync } from 'node:fs';
import { type Duty, parseDuties } from '../../domain/duties';
import { shipped } from '../../storage/shipped';
import { ConfigError } from '../config';

/** The rules in `path`; unset: the shipped data/duties.json. */
export function loadDutiesFile(path = shipped('data', 'duties.json')): Duty[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`职责规则文件 ${path} 读不出来：${(err as Error).message}`);
  }
  const parsed = parseDuties(json);
  if (!parsed.ok) throw new ConfigError(`职责规则文件 ${path}：${parsed.message}`);
  return parsed.duties;
}
