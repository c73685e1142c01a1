// The smart bot over its WebSocket long connection (no public URL needed), through the official
// SDK. Contained: every listener catches its own errors (a rejected async listener would end
// the process), the SDK reconnects forever with its capped backoff, and a second connection
// taking over (disconnected_event, after which the SDK stops) is reported loudly.
import { type TemplateCard, WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import type { ChatRef, Output } from '../../cards/message';
import type { Assistant } from '../core/assistant';
import { SendError, type Sender } from '../core/delivery';
import type { Logger } from '../core/log';
import { answerBotClick, answerBotMessage, type BotBody, composeBotReply, decodeBotBody } from './aibot';

export interface WecomBotWsConfig {
  botId: string;
  secret: string;
  /** Overrides the SDK's wss://openws.work.weixin.qq.com (tests point it at a local fake). */
  wsUrl?: string;
}

export class WecomBotConnection implements Sender {
  readonly client: WSClient;
  private streams = 0;

  constructor(
    cfg: WecomBotWsConfig,
    private readonly bot: Assistant,
    private readonly log: Logger,
  ) {
    this.client = new WSClient({
      botId: cfg.botId,
      secret: cfg.secret,
      ...(cfg.wsUrl ? { wsUrl: cfg.wsUrl } : {}),
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: -1,
      logger: {
        debug: () => {},
        info: (m) => log.info(`wecom bot: ${m}`),
        warn: (m) => log.warn(`wecom bot: ${m}`),
        error: (m) => log.error(`wecom bot: ${m}`),
      },
    });
    const guard = (what: string, work: (frame: WsFrame<BotBody>) => Promise<void>) => (frame: WsFrame<BotBody>) => {
      work(frame).catch((err) => this.log.error(`wecom bot ${what} failed`, { err: describe(err) }));
    };
    this.client.on(
      'message',
      guard('message', (f) => this.onFrame(f)),
    );
    this.client.on(
      'event',
      guard('event', (f) => this.onFrame(f)),
    );
    this.client.on('error', (err) => this.log.error('wecom bot connection error', { err }));
    this.client.on('authenticated', () => this.log.info('wecom bot connected'));
  }

  start(): void {
    this.client.connect();
  }

  stop(): void {
    this.client.disconnect();
  }

  private async onFrame(frame: WsFrame<BotBody>): Promise<void> {
    const body = frame.body;
    if (!body) return;
    if (body.msgtype === 'event' && body.event?.eventtype === 'disconnected_event') {
      this.log.error('wecom bot: another connection for this bot took over; this process no longer receives messages');
      return;
    }
    const inbound = decodeBotBody(body);
    if (inbound.kind === 'ignored') {
      this.log.info('wecom bot frame ignored', { what: inbound.what });
      return;
    }
    if (!(await this.bot.accept('wecom', inbound.key))) return;

    if (inbound.kind === 'click') {
      const card = await answerBotClick(this.bot, inbound);
      if (card) await this.client.updateTemplateCard(frame, card as unknown as TemplateCard);
      return;
    }

    const reply = await answerBotMessage(this.bot, inbound);
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
    const reply = composeBotReply([output.type === 'card-update' ? { type: 'card', card: output.card } : output]);
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
    for (const id of reply.textCards) await this.bot.showAsText('wecom', target, id);
  }
}

/** An Error's message, or a refused frame's errcode and errmsg. */
function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  const frame = err as { errcode?: unknown; errmsg?: unknown } | null;
  return frame && typeof frame === 'object'
    ? `errcode ${String(frame.errcode)} ${String(frame.errmsg ?? '')}`
    : String(err);
}
