// A card as plain text with numbered replies (回复 1 签到), for a channel or a card that cannot
// be interactive. A reply `1` or `2 出差开会` comes back to the core as a click on this card.
import type { Card, CardInput } from '../model';

export function markdownOfBody(card: Card): string[] {
  const lines = [`**${card.title}**`];
  if (card.body) lines.push(card.body);
  for (const f of card.fields ?? []) lines.push(`${f.label}：${f.value}`);
  return lines;
}

function inputHint(input: CardInput): string {
  if (input.kind === 'text') return `${input.label}${input.required ? '' : '（可不填）'}`;
  const options = input.options.map((o, i) => `${i + 1}.${o.label}`).join(' ');
  return `${input.label}${input.multiple ? '（可多选）' : ''}：${options}`;
}

export function renderTextCard(card: Card): string {
  const lines = markdownOfBody(card);
  const buttons = card.buttons ?? [];
  const inputs = card.inputs ?? [];
  if (buttons.length > 0) {
    lines.push('');
    if (inputs.length > 0) lines.push(`需要填写：${inputs.map(inputHint).join('；')}`);
    const tail = inputs.length > 0 ? ' 后接填写内容，用空格分开' : '';
    buttons.forEach((b, i) => {
      lines.push(`回复 **${i + 1}** ${b.label}${i === 0 ? tail : ''}`);
    });
  }
  if (card.status) lines.push('', card.status);
  return lines.join('\n');
}
