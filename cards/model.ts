// The platform-neutral card: what handlers build and what every channel renders.
// A card carries no platform detail; limits of WeCom or DingTalk are the renderers' business.

export interface Card {
  /** Assigned by the core when the card is first sent; a click names it. */
  id?: string;
  title: string;
  /** Markdown: bold, lists, line breaks. Renderers downgrade what their platform cannot show. */
  body?: string;
  fields?: CardField[];
  inputs?: CardInput[];
  buttons?: CardButton[];
  /** One line under everything else, e.g. live counts or "已关闭". */
  status?: string;
}

export interface CardField {
  label: string;
  value: string;
}

export interface CardButton {
  /** `<feature>.<verb>` with an optional `:<argument>`, e.g. `help.topic:绑定`. */
  action: string;
  label: string;
  style?: 'primary' | 'default' | 'danger';
}

export interface CardOption {
  value: string;
  label: string;
}

export type CardInput =
  | {
      kind: 'select';
      name: string;
      label: string;
      options: CardOption[];
      multiple?: boolean;
      required?: boolean;
      value?: string | string[];
    }
  | {
      kind: 'text';
      name: string;
      label: string;
      placeholder?: string;
      required?: boolean;
      maxLength?: number;
      value?: string;
    };

export type CardValues = Record<string, string | string[]>;

const ACTION_ID = /^[a-z][a-zA-Z0-9]*\.[a-zA-Z0-9_-]+(:[^\s]{1,200})?$/;
const INPUT_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;
export const TEXT_INPUT_MAX = 500;

/** Problems a handler made when building a card; a non-empty list is a programming error. */
export function cardProblems(card: Card): string[] {
  const problems: string[] = [];
  if (!card.title.trim()) problems.push('title is empty');
  const actions = new Set<string>();
  for (const b of card.buttons ?? []) {
    if (!ACTION_ID.test(b.action)) problems.push(`button "${b.label}": bad action id "${b.action}"`);
    if (actions.has(b.action)) problems.push(`button "${b.label}": action "${b.action}" repeated`);
    if (!b.label.trim()) problems.push(`button "${b.action}": empty label`);
    actions.add(b.action);
  }
  const names = new Set<string>();
  for (const input of card.inputs ?? []) {
    if (!INPUT_NAME.test(input.name)) problems.push(`input "${input.label}": bad name "${input.name}"`);
    if (names.has(input.name)) problems.push(`input "${input.name}" repeated`);
    names.add(input.name);
    if (input.kind === 'select') {
      if (input.options.length === 0) problems.push(`select "${input.name}" has no options`);
      const values = new Set(input.options.map((o) => o.value));
      if (values.size !== input.options.length) problems.push(`select "${input.name}" repeats an option`);
    }
  }
  if ((card.inputs?.length ?? 0) > 0 && actions.size === 0) problems.push('inputs without a button to submit them');
  return problems;
}

/** Splits `help.topic:绑定` into feature `help`, verb `topic` and argument `绑定`. */
export function parseAction(action: string): { feature: string; verb: string; arg: string | undefined } {
  const colon = action.indexOf(':');
  const head = colon < 0 ? action : action.slice(0, colon);
  const dot = head.indexOf('.');
  return {
    feature: head.slice(0, dot),
    verb: head.slice(dot + 1),
    arg: colon < 0 ? undefined : action.slice(colon + 1),
  };
}

export type ValuesCheck = { ok: true; values: CardValues } | { ok: false; message: string };

/**
 * Checks what a member submitted against the card's inputs, so that a handler only ever sees
 * values the card offered. Unknown fields are dropped; the message is for the member.
 */
export function checkValues(card: Card, submitted: CardValues): ValuesCheck {
  const values: CardValues = {};
  for (const input of card.inputs ?? []) {
    const raw = submitted[input.name];
    const list = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).trim());
    const given = list.filter((v) => v !== '');
    if (given.length === 0) {
      if (input.required) return { ok: false, message: `请填写“${input.label}”。` };
      continue;
    }
    if (input.kind === 'text') {
      if (given.length > 1) return { ok: false, message: `“${input.label}”只能填一项。` };
      const max = input.maxLength ?? TEXT_INPUT_MAX;
      const text = given[0] ?? '';
      if ([...text].length > max) return { ok: false, message: `“${input.label}”最多 ${max} 个字。` };
      values[input.name] = text;
      continue;
    }
    const allowed = new Set(input.options.map((o) => o.value));
    const bad = given.find((v) => !allowed.has(v));
    if (bad !== undefined) return { ok: false, message: `“${input.label}”没有“${bad}”这个选项，请重新选择。` };
    if (!input.multiple && given.length > 1) return { ok: false, message: `“${input.label}”只能选一项。` };
    values[input.name] = input.multiple ? [...new Set(given)] : (given[0] ?? '');
  }
  return { ok: true, values };
}
