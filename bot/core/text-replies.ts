// Numbered replies to a card shown as text: `2` presses its second button, `2 出差开会` also fills
// its inputs, in order (a select by option number or label; the last text input takes the rest).
import type { Card, CardValues } from '../../cards/model';

export const NUMBERED_REPLY = /^(\d{1,2})(?:\s+([\s\S]+))?$/;

export function valuesFromReply(
  card: Card,
  rest: string,
): { ok: true; values: CardValues } | { ok: false; message: string } {
  const inputs = card.inputs ?? [];
  const values: CardValues = {};
  let words = rest.trim() ? rest.trim().split(/\s+/) : [];
  for (const [i, input] of inputs.entries()) {
    if (words.length === 0) break;
    if (input.kind === 'text') {
      const last = inputs.slice(i + 1).every((x) => x.kind !== 'text');
      values[input.name] = last ? words.join(' ') : (words[0] as string);
      words = last ? [] : words.slice(1);
      continue;
    }
    const picks = (words[0] as string).split(/[,，、]/).filter(Boolean);
    const chosen = picks.map(
      (p) => input.options[Number(p) - 1]?.value ?? input.options.find((o) => o.label === p)?.value,
    );
    if (chosen.some((c) => c === undefined)) {
      return {
        ok: false,
        message: `“${input.label}”请填选项的编号：${input.options.map((o, n) => `${n + 1}.${o.label}`).join(' ')}`,
      };
    }
    values[input.name] = input.multiple ? (chosen as string[]) : (chosen[0] as string);
    words = words.slice(1);
  }
  return { ok: true, values };
}
