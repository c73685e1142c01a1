// The neutral card as WeCom template cards (self-built app and smart bot share the format),
// within WeCom's limits: ≤6 buttons, ≤20 vote options, ≤3 selects of ≤10 options, task_id
// ≤128 bytes of [0-9a-zA-Z_-@]. Button keys and option ids are indexes (b0, o3), mapped back
// through the stored card, so that no user text ever meets WeCom's key rules.
// A card beyond the limits degrades predictably: too many buttons split into several cards
// (steps); a form of selects with more than its submit button becomes the form card and a card of
// the other buttons; inputs WeCom cards cannot hold become a text card with numbered replies.
import type { CardClick } from '../../cards/message';
import type { Card, CardValues } from '../../cards/model';
import { markdownOfBody, renderTextCard } from '../../cards/render/text';

export const WECOM_LIMITS = {
  buttons: 6,
  voteOptions: 20,
  selects: 3,
  selectOptions: 10,
  bodyChars: 1000,
  /** What a select's title shows on a phone before it is cut. */
  selectTitle: 10,
} as const;

export type WecomCard = Record<string, unknown>;
/** Template cards, after `lead` (markdown sent just before them) when the body was too long for a card. */
export type WecomRendering = { kind: 'cards'; cards: WecomCard[]; lead?: string } | { kind: 'text'; markdown: string };

/** A card's text in place of a body too long for it, which goes just before as a message. */
const BODY_ABOVE = '内容见上一条消息。';

const plain = (s: string) => s.replace(/\*\*/g, '').replace(/^- /gm, '· ');
const cut = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s);

/**
 * The task id of the n-th part of a card: the card id itself for a first sending; a card sent
 * again (an update WeCom cannot apply in place) needs a fresh task id, so it carries a variant.
 */
export function taskIdOf(cardId: string, part: number, variant = ''): string {
  const tail = [variant, part > 0 ? String(part) : ''].filter(Boolean).join('-');
  return tail ? `${cardId}@${tail}` : cardId;
}

/** The card id behind a task id. */
export function cardIdOfTask(taskId: string): string {
  return taskId.split('@')[0] ?? taskId;
}

function head(card: Card, part?: string): WecomCard {
  const title = part ? `${card.title}（${part}）` : card.title;
  const out: WecomCard = {
    main_title: { title: cut(title, 36), ...(card.status ? { desc: cut(card.status, 44) } : {}) },
  };
  if (card.body) out.sub_title_text = cut(plain(card.body), WECOM_LIMITS.bodyChars);
  if (card.fields?.length) {
    out.horizontal_content_list = card.fields
      .slice(0, 6)
      .map((f) => ({ keyname: cut(f.label, 10), value: cut(f.value, 60) }));
  }
  return out;
}

const MARKS = '①②③④⑤⑥⑦⑧⑨⑩';

/**
 * A select's title holds a few characters: a longer label is written whole as a line of the
 * card's text, marked ①②③, and the title keeps the mark and the label's start.
 */
function withLongLabels(card: Card & { id: string }): Card & { id: string } {
  const selects = (card.inputs ?? []).filter((i) => i.kind === 'select');
  const long = selects.filter((s) => [...s.label].length > WECOM_LIMITS.selectTitle);
  if (long.length === 0) return card;
  const mark = (i: number) => [...MARKS][i] ?? `(${i + 1})`;
  const lines = long.map((s, i) => `${mark(i)} ${s.label}`);
  return {
    ...card,
    body: [card.body, ...lines].filter(Boolean).join('\n'),
    inputs: (card.inputs ?? []).map((input) => {
      const at = long.indexOf(input as (typeof long)[number]);
      return at < 0 ? input : { ...input, label: `${mark(at)}${input.label}` };
    }),
  };
}

export function renderWecomCard(card: Card & { id: string }, variant = ''): WecomRendering {
  // WeCom cuts a template card's text at 1,000 characters: a longer body goes as a message first.
  const body = withLongLabels(card).body;
  if (card.body && body && [...plain(body)].length > WECOM_LIMITS.bodyChars) {
    const short = renderWecomCard({ ...card, body: BODY_ABOVE }, variant);
    if (short.kind === 'cards') return { ...short, lead: markdownOfBody(card).join('\n') };
  }
  const buttons = card.buttons ?? [];
  const inputs = card.inputs ?? [];
  const selects = inputs.filter((i) => i.kind === 'select');
  const button = (b: (typeof buttons)[number], i: number) => ({
    text: cut(b.label, 10),
    style: b.style === 'primary' ? 1 : b.style === 'danger' ? 3 : 2,
    key: `b${i}`,
  });

  if (inputs.length === 0 && buttons.length === 0) {
    return {
      kind: 'text',
      markdown: markdownOfBody(card)
        .concat(card.status ? ['', card.status] : [])
        .join('\n'),
    };
  }
  if (inputs.length === 0) {
    const parts: WecomCard[] = [];
    const pages = Math.ceil(buttons.length / WECOM_LIMITS.buttons);
    for (let p = 0; p < pages; p++) {
      const slice = buttons.slice(p * WECOM_LIMITS.buttons, (p + 1) * WECOM_LIMITS.buttons);
      parts.push({
        card_type: 'button_interaction',
        task_id: taskIdOf(card.id, p, variant),
        ...head(card, pages > 1 ? `${p + 1}/${pages}` : undefined),
        button_list: slice.map((b, i) => button(b, p * WECOM_LIMITS.buttons + i)),
      });
    }
    return { kind: 'cards', cards: parts };
  }
  const only = selects[0];
  if (inputs.length === 1 && only && buttons.length === 1 && only.options.length <= WECOM_LIMITS.voteOptions) {
    return {
      kind: 'cards',
      cards: [
        {
          card_type: 'vote_interaction',
          task_id: taskIdOf(card.id, 0, variant),
          ...head(card),
          checkbox: {
            question_key: only.name,
            mode: only.multiple ? 1 : 0,
            option_list: only.options.map((o, i) => ({
              id: `o${i}`,
              text: cut(o.label, 11),
              is_checked: [only.value ?? []].flat().includes(o.value),
            })),
          },
          submit_button: { text: cut((buttons[0] as (typeof buttons)[number]).label, 10), key: 'b0' },
        },
      ],
    };
  }
  const singles = selects.every((s) => !s.multiple && s.options.length <= WECOM_LIMITS.selectOptions);
  const others = buttons.slice(1);
  if (
    selects.length === inputs.length &&
    singles &&
    selects.length <= WECOM_LIMITS.selects &&
    buttons.length >= 1 &&
    others.length <= WECOM_LIMITS.buttons
  ) {
    // A multiple card submits with one button; the others (上一步, 暂存…) follow on a card of their own.
    const rest: WecomCard[] =
      others.length > 0
        ? [
            {
              card_type: 'button_interaction',
              task_id: taskIdOf(card.id, 1, variant),
              main_title: { title: cut(card.title, 36) },
              button_list: others.map((b, i) => button(b, i + 1)),
            },
          ]
        : [];
    const shown = withLongLabels(card);
    return {
      kind: 'cards',
      cards: [
        {
          card_type: 'multiple_interaction',
          task_id: taskIdOf(card.id, 0, variant),
          ...head(shown),
          select_list: (shown.inputs ?? [])
            .flatMap((s) => (s.kind === 'select' ? [s] : []))
            .map((s) => ({
              question_key: s.name,
              title: cut(s.label, WECOM_LIMITS.selectTitle),
              ...(typeof s.value === 'string'
                ? { selected_id: `o${s.options.findIndex((o) => o.value === s.value)}` }
                : {}),
              option_list: s.options.map((o, i) => ({ id: `o${i}`, text: cut(o.label, 10) })),
            })),
          submit_button: { text: cut((buttons[0] as (typeof buttons)[number]).label, 10), key: 'b0' },
        },
        ...rest,
      ],
    };
  }
  // Text inputs, several buttons with a form, more selects or options than a card holds.
  return { kind: 'text', markdown: renderTextCard(card) };
}

/**
 * A click on a WeCom template card, read back through the stored card: the button key `b3` is the
 * card's fourth button, option ids `o2` its inputs' third options. Null for a key the card lacks.
 */
export function readWecomClick(card: Card, click: CardClick): { action: string; values: CardValues } | null {
  const index = Number(click.button.match(/^b(\d+)$/)?.[1] ?? Number.NaN);
  const action = card.buttons?.[index]?.action;
  if (!action) return null;
  const values: CardValues = {};
  for (const [questionKey, optionIds] of Object.entries(click.values)) {
    const input = card.inputs?.find((i) => i.name === questionKey);
    if (input?.kind !== 'select') continue;
    const chosen = [optionIds].flat().map((id) => input.options[Number(id.replace(/^o/, ''))]?.value ?? `?${id}`);
    values[input.name] = input.multiple ? chosen : (chosen[0] ?? '');
  }
  return { action, values };
}
