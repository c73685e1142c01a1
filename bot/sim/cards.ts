// The simulator's wire form of what the bot says: the neutral card with its id, its buttons as
// `actions` and its inputs, as the simulator page and scripted tests read them.
import type { Output } from '../../cards/message';
import type { Card } from '../../cards/model';

export interface SimCard {
  id: string;
  title: string;
  body: string | null;
  fields: { label: string; value: string }[];
  inputs: NonNullable<Card['inputs']>;
  actions: { id: string; label: string; style: string }[];
  status: string | null;
}

export type SimOutput =
  | { type: 'text'; text: string; mentions: string[] }
  | { type: 'card'; card: SimCard }
  | { type: 'card-update'; card: SimCard };

export function renderSimCard(card: Card & { id: string }): SimCard {
  return {
    id: card.id,
    title: card.title,
    body: card.body ?? null,
    fields: card.fields ?? [],
    inputs: card.inputs ?? [],
    actions: (card.buttons ?? []).map((b) => ({ id: b.action, label: b.label, style: b.style ?? 'default' })),
    status: card.status ?? null,
  };
}

export function renderSim(output: Output): SimOutput {
  if (output.type === 'text') return { type: 'text', text: output.text, mentions: output.mentions ?? [] };
  const id = output.card.id;
  if (!id) throw new Error('a card reached a channel without an id');
  return { type: output.type, card: renderSimCard({ ...output.card, id }) };
}
