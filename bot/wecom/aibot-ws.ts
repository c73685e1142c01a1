// The smart bot over its WebSocket long connection (no public URL needed), through the official
// SDK: Node only, so the Node entry opens it (bot/platforms-node.ts) and the WeCom channel sends
// through it. Contained: every listener catches its own errors (a rejected async listener would
// end the process), the SDK reconnects forever with its capped backoff, and a second connection
// taking over (disconnected_event, after which the SDK stops) is reported loudly.
import { type TemplateCard, WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import type { ChatRef, Output } from '../../cards/message';
import { SendError, type Sender } from '../core/delivery';
import type { Logger } from '../core/log';
import type { Inlet, LongConnection, LongConnector } from '../core/platform';
import { type AibotBody, clickReply, composeAibotReply, decodeAibotBody, messageReply } from './aibot';
import { type AibotWsConfig, aibotSettings, type WecomSettings } from './settings';

export class AibotConnection implements LongConnection, Sender {
  readonly client: WSClient;
  readonly sender = this;
  private streams = 0;
  private inlet: Inlet | undefined;

  constructor(
    config: AibotWsConfig,
    private readonly log: Logger,
    private readonly showAsText: (chat: ChatRef, cardId: string) => Promise<void>,
  ) {
    this.client = new WSClient({
      botId: config.botId,
      secret: config.secret,
      ...(config.wsUrl ? { wsUrl: config.wsUrl } : {}),
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: -1,
      logger: {
        debug: () => {},
        info: (m) => log.info(`wecom bot: ${m}`),
        warn: (m) => log.warn(`wecom bot: ${m}`),
        error: (m) => log.error(`wecom bot: ${m}`),
      },
    });
    const guard = (what: string, work: (frame: WsFrame<AibotBody>) => Promise<void>) => (frame: WsFrame<AibotBody>) => {
      work(frame).catch((err) => this.log.error(`wecom bot ${what} failed`, { err: describe(err) }));
    };
    this.client.on(
      'message',
      guard('message', (frame) => this.onFrame(frame)),
    );
    this.client.on(
      'event',
      guard('event', (frame) => this.onFrame(frame)),
    );
    this.client.on('error', (err) => this.log.error('wecom bot connection error', { err }));
    this.client.on('authenticated', () => this.log.info('wecom bot connected'));
  }

  start(inlet: Inlet): void {
    this.inlet = inlet;
    this.client.connect();
  }

  stop(): void {
    this.client.disconnect();
  }

  private async onFrame(frame: WsFrame<AibotBody>): Promise<void> {
    const body = frame.body;
    const inlet = this.inlet;
    if (!body || !inlet) return;
    if (body.msgtype === 'event' && body.event?.eventtype === 'disconnected_event') {
      this.log.error('wecom bot: another connection for this bot took over; this process no longer receives messages');
      return;
    }
    const inbound = decodeAibotBody(body);
    if (inbound.kind === 'ignored') {
      this.log.info('wecom bot frame ignored', { what: inbound.what });
      return;
    }
    if (inbound.kind === 'click') {
      const { event, taskId } = inbound;
      const card = await inlet.answer(event, (outputs) => clickReply(event.click.cardId, taskId, outputs));
      if (card) await this.client.updateTemplateCard(frame, card as unknown as TemplateCard);
      return;
    }
    const reply = await inlet.answer(inbound.event, (outputs) => messageReply(inbound.event.key, outputs));
    if (!reply) return;
    if (inbound.kind === 'welcome') {
      await this.client.replyWelcome(
        frame,
        reply.card
          ? { msgtype: 'template_card', template_card: reply.card as unknown as TemplateCard }
          : { msgtype: 'text', text: { content: reply.markdown } },
      );
      return;
    }
    if (reply.card && !reply.markdown) {
      await this.client.replyTemplateCard(frame, reply.card as unknown as TemplateCard);
      return;
    }
    const streamId = `s${Date.now().toString(36)}${(this.streams++).toString(36)}`;
    if (!reply.card) {
      await this.client.replyStream(frame, streamId, reply.markdown, true);
      return;
    }
    await this.client.replyStreamWithCard(frame, streamId, reply.markdown, true, {
      templateCard: reply.card as unknown as TemplateCard,
    });
  }

  /** Sends on the bot's own initiative (aibot_send_msg): into a group, or to a person. */
  async deliver(target: ChatRef, output: Output): Promise<void> {
    const reply = composeAibotReply([output.type === 'card-update' ? { type: 'card', card: output.card } : output]);
    try {
      if (reply.card) {
        await this.client.sendMessage(target.id, {
          msgtype: 'template_card',
          template_card: reply.card as unknown as TemplateCard,
        });
      }
      if (reply.markdown) {
        await this.client.sendMessage(target.id, { msgtype: 'markdown', markdown: { content: reply.markdown } });
      }
    } catch (err) {
      // The SDK rejects a refused send with the raw ack frame, a missing ack with an Error.
      throw new SendError(`wecom bot send failed: ${describe(err)}`, true);
    }
    for (const id of reply.textCards) await this.showAsText(target, id);
  }
}

/** The smart bot's long connection, where its id and secret are set. */
export const aibotConnector: LongConnector<WecomSettings> = {
  platform: 'wecom',
  connect(settings, deps) {
    const ws = aibotSettings(settings).ws;
    return ws ? new AibotConnection(ws, deps.log, deps.showAsText) : undefined;
  },
};

/** An Error's message, or a refused frame's errcode and errmsg. */
function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  const frame = err as { errcode?: unknown; errmsg?: unknown } | null;
  return frame && typeof frame === 'object'
    ? `errcode ${String(frame.errcode)} ${String(frame.errmsg ?? '')}`
    : String(err);
}
