// The neutral card as DingTalk sees it. With the bot's card template (DINGTALK_CARD_TEMPLATE_ID)
// a card is a `cardParamMap` of strings that the one template renders: title, markdown, status,
// buttons and inputs (as JSON strings; the template lists them). A click sends the button's id
// (b0, b1…) in `cardPrivateData.actionIds` and the inputs in `params`. Without a template, a card
// is markdown with numbered replies.
import type { CardClick } from '../../cards/message';
import type { Card, CardValues } from '../../cards/model';
import { markdownOfBody, renderTextCard } from '../../cards/render/text';

/** DingTalk's robot markdown: no raw HTML; a line break needs two spaces or a blank line. */
export function dingtalkMarkdown(text: string): string {
  return text.replace(/</g, '＜').replace(/\n/g, '  \n');
}

export function cardParamMap(card: Card): Record<string, string> {
  const buttons = (card.buttons ?? []).map((b, i) => ({
    id: `b${i}`,
    text: b.label,
    color: b.style === 'primary' ? 'blue' : b.style === 'danger' ? 'red' : 'gray',
  }));
  const inputs = (card.inputs ?? []).map((input) =>
    input.kind === 'text'
      ? {
          name: input.name,
          label: input.label,
          type: 'text',
          required: Boolean(input.required),
          placeholder: input.placeholder ?? '',
        }
      : {
          name: input.name,
          label: input.label,
          type: input.multiple ? 'multiSelect' : 'select',
          required: Boolean(input.required),
          options: input.options.map((o) => ({ value: o.value, text: o.label })),
        },
  );
  // cardParamMap values must be strings (DingTalk refuses anything else).
  return {
    title: card.title,
    markdown: dingtalkMarkdown(
      markdownOfBody({ ...card, title: '' })
        .slice(1)
        .join('\n'),
    ),
    status: card.status ?? '',
    buttons: JSON.stringify(buttons),
    inputs: JSON.stringify(inputs),
    hasInputs: String(inputs.length > 0),
  };
}

/** A card as markdown with numbered replies (no template, or a place cards cannot go). */
export function dingtalkTextCard(card: Card): { title: string; text: string } {
  return { title: card.title, text: dingtalkMarkdown(renderTextCard(card)) };
}

/** A click read back through the stored card: button `b2` is its third button; the inputs come by name. */
export function readDingtalkClick(card: Card, click: CardClick): { action: string; values: CardValues } | null {
  const index = Number(click.button.match(/^b(\d+)$/)?.[1] ?? Number.NaN);
  const action = card.buttons?.[index]?.action;
  return action ? { action, values: click.values } : null;
}
