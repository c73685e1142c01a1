// A platform that exists only for tests: it proves that a platform is its folder and nothing else.
// "Echo" takes JSON posts (a message, a click) signed with a shared token and answers in the
// response; its cards carry buttons keyed by position (#0, #1…), read back through the stored
// card; its people are roster rows with an 回声账号; what the bot sends on its own is recorded.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Sender } from '../../bot/core/delivery';
import type { PlatformAdapter } from '../../bot/core/platform';
import type { Output, PlatformId } from '../../cards/message';
import type { Card, CardValues } from '../../cards/model';

const ECHO: PlatformId = 'echo';

const settings = z.object({
  /** The token every post carries; set, it turns the platform on. */
  ECHO_TOKEN: z.string().min(8, { error: '至少 8 个字符' }).optional(),
});
type EchoSettings = z.infer<typeof settings>;

/** A card as echo shows it: its buttons keyed by position. */
function renderEcho(output: Output) {
  if (output.type === 'text') return { text: output.text };
  const card: Card = output.card;
  return {
    [output.type]: {
      id: card.id,
      title: card.title,
      status: card.status ?? null,
      fields: (card.fields ?? []).map((f) => `${f.label}：${f.value}`),
      inputs: (card.inputs ?? []).map((i) => i.name),
      buttons: (card.buttons ?? []).map((b, i) => ({ key: `#${i}`, label: b.label })),
    },
  };
}

const messageBody = z.object({ token: z.string(), id: z.string(), from: z.string(), text: z.string() });
const clickBody = z.object({
  token: z.string(),
  id: z.string(),
  from: z.string(),
  card: z.string(),
  key: z.string(),
  values: z.record(z.string(), z.string()).default({}),
});

/** What echo's sender delivered, by account, for tests to read. */
export const delivered = new Map<string, ReturnType<typeof renderEcho>[]>();

const echoSender: Sender = {
  async deliver(target, output) {
    delivered.set(target.id, [...(delivered.get(target.id) ?? []), renderEcho(output)]);
  },
};

export const echo: PlatformAdapter<EchoSettings> = {
  id: ECHO,
  name: '回声',
  settings,
  enabled: (s) => Boolean(s.ECHO_TOKEN),
  delivers: (s) => Boolean(s.ECHO_TOKEN),
  describe: (s) => ({ echo: Boolean(s.ECHO_TOKEN) }),
  people: { column: { header: '回声账号', aliases: ['echo'], pattern: /^[a-z][a-z0-9-]{0,31}$/, what: '回声账号' } },
  formItemsPerCard: 4,
  readClick(card: Card, click): { action: string; values: CardValues } | null {
    const action = card.buttons?.[Number(click.button.replace(/^#/, ''))]?.action;
    return action ? { action, values: click.values } : null;
  },
  open(s) {
    return {
      routes(root, inlet) {
        const app = new Hono();
        app.post('/message', async (c) => {
          const body = messageBody.parse(await c.req.json());
          if (body.token !== s.ECHO_TOKEN) return c.json({ error: 'forbidden' }, 401);
          const message = {
            platform: ECHO,
            chat: { kind: 'direct' as const, id: body.from },
            sender: body.from,
            text: body.text,
            mentions: [],
            messageId: body.id,
          };
          const replies = await inlet.answer({ key: `msg:${body.id}`, message }, (outputs) => ({
            body: outputs.map(renderEcho),
          }));
          return c.json({ replies: replies ?? [] });
        });
        app.post('/click', async (c) => {
          const body = clickBody.parse(await c.req.json());
          if (body.token !== s.ECHO_TOKEN) return c.json({ error: 'forbidden' }, 401);
          const click = { platform: ECHO, sender: body.from, cardId: body.card, button: body.key, values: body.values };
          const replies = await inlet.answer({ key: `click:${body.id}`, click }, (outputs) => ({
            body: outputs.map(renderEcho),
          }));
          return c.json({ replies: replies ?? [] });
        });
        root.route('/echo', app);
      },
      sender: echoSender,
    };
  },
};
