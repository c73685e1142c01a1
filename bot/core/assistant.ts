// The core of the bot: every channel hands it neutral messages and clicks; it de-duplicates,
// resolves who is talking and where, routes to a feature, and keeps the cards it sends.

import { type CardClick, type ChatRef, type Incoming, type Output, type Platform, say } from '../../cards/message';
import { type Card, cardProblems, checkValues, parseAction } from '../../cards/model';
import type { Command, Context, Feature } from '../../handlers/feature';
import { refuseUnlessRole } from '../../handlers/rights';
import { audit } from '../../storage/audit';
import { cardById, replaceCard, type StoredCard, saveCards } from '../../storage/cards';
import { rememberChat } from '../../storage/chats';
import { type AppDb, isDatabaseUnavailable, newId } from '../../storage/db';
import { firstSeen } from '../../storage/dedup';
import { enqueue, keysStartingWith, type OutboxItem } from '../../storage/outbox';
import { accountsOfMany, memberByAccount } from '../../storage/people';
import { rememberTextCard, textCardIn } from '../../storage/text-cards';
import { type Budget, unlimited } from './budget';
import { InboundQueue } from './inbound';
import type { Logger } from './log';
import { NUMBERED_REPLY, valuesFromReply } from './text-replies';

export interface BotOptions {
  db: AppDb;
  features: Feature[];
  log: Logger;
  now?: () => Date;
  /** Called after sends were put in the outbox, so that a channel delivers them soon. */
  onQueued?: () => void;
  /** The platforms that can deliver now (configured channels); absent: every platform. */
  channels?: () => readonly Platform[];
  /** What this invocation may still do (a Worker's statement and time limits); absent: no limit. */
  budget?: Budget;
}

/** A send on the bot's initiative, before its cards are named and it is stored. */
interface Planned {
  platform: Platform;
  target: ChatRef;
  key: string;
  outputs: Output[];
  context?: unknown;
}

/** How long a card shown as text takes numbered replies. */
const TEXT_CARD_TTL_MS = 48 * 3600_000;
/** A send of several outputs is stored a row an output, its key ending in the output's index. */
const OUTPUT_INDEX = /#\d+$/;

const SORRY: Output = { type: 'text', text: '抱歉，处理您的消息时出错了，请稍后再试。问题已记录。' };

/** Full-width letters, digits and punctuation to half-width; spaces folded. */
function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

export class Assistant {
  readonly db: AppDb;
  readonly features: readonly Feature[];
  /** Callbacks accepted before they are answered, worked off afterwards. */
  readonly inbound: InboundQueue;
  /** Long work (reminder fan-outs, queues) asks it before each step. */
  readonly budget: Budget;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly onQueued: () => void;

  constructor(opts: BotOptions) {
    this.db = opts.db;
    this.features = opts.features;
    this.log = opts.log;
    this.clock = opts.now ?? (() => new Date());
    this.onQueued = opts.onQueued ?? (() => {});
    this.channels = opts.channels;
    this.budget = opts.budget ?? unlimited;
    this.inbound = new InboundQueue(this.db, this.log, () => this.now().getTime(), this.budget);
  }

  private readonly channels: (() => readonly Platform[]) | undefined;

  /** The platforms that can deliver now; undefined: every platform. */
  deliveringChannels(): readonly Platform[] | undefined {
    return this.channels?.();
  }

  now(): Date {
    return this.clock();
  }

  /** Records an inbound key; false when it was seen before (a retry or a redelivery). */
  accept(platform: Platform, key: string): Promise<boolean> {
    return firstSeen(this.db, platform, key, this.now().getTime());
  }

  /** A message: accepted once, then answered. */
  async onMessage(msg: Incoming): Promise<Output[]> {
    if (!(await this.accept(msg.platform, `msg:${msg.messageId}`))) return [];
    return this.handleMessage(msg);
  }

  /** Answers a message already accepted (channels that must acknowledge first call this later). */
  async handleMessage(msg: Incoming): Promise<Output[]> {
    try {
      const reply = await this.numberedReply(msg);
      if (reply) return reply;
      const ctx = await this.context(msg.platform, msg.chat, msg.sender, msg.senderName, msg.chatTitle);
      const outputs = await this.route(ctx, normaliseText(msg.text));
      return await this.keepCards(msg.platform, msg.chat, outputs);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err; // the caller retries or answers 503: not an apology
      this.log.error('message failed', { platform: msg.platform, messageId: msg.messageId, err });
      return [SORRY];
    }
  }

  /** A card click: accepted once, checked against the card it names, then answered. */
  async onClick(click: CardClick): Promise<Output[]> {
    if (!(await this.accept(click.platform, `click:${click.eventId}`))) return [];
    return this.handleClick(click);
  }

  async handleClick(click: CardClick): Promise<Output[]> {
    try {
      const stored = await cardById(this.db, click.cardId);
      if (!stored || stored.platform !== click.platform) {
        return say('这张卡片已失效，请重新发起。');
      }
      if (!stored.card.buttons?.some((b) => b.action === click.action)) {
        // A card that was closed (no buttons left) says why, in its own status: 签到已结束, 已提交…
        const closed = !stored.card.buttons?.length && stored.card.status;
        return say(closed ? `这张卡片已关闭：${closed}。` : '这个按钮已失效，请使用最新的卡片。');
      }
      const checked = checkValues(stored.card, click.values);
      if (!checked.ok) return say(checked.message);
      const { feature, verb, arg } = parseAction(click.action);
      const run = this.features.find((f) => f.name === feature)?.actions?.[verb];
      if (!run) {
        this.log.warn('click on an action no feature handles', { action: click.action });
        return say('这个按钮已失效，请使用最新的卡片。');
      }
      const chat: ChatRef = { kind: stored.chatKind, id: stored.chatId };
      const ctx = await this.context(click.platform, chat, click.sender, click.senderName);
      const outputs = await run(ctx, { verb, arg, values: checked.values, card: { ...stored.card, id: stored.id } });
      return await this.keepCards(click.platform, chat, outputs);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      this.log.error('click failed', { platform: click.platform, cardId: click.cardId, err });
      return [SORRY];
    }
  }

  /** A channel showed this card as numbered text in this chat: replies `1`, `2 …` click it. */
  async showAsText(platform: Platform, chat: ChatRef, cardId: string): Promise<void> {
    await rememberTextCard(this.db, platform, chat.id, cardId, this.now().getTime());
  }

  /** A reply `2` or `2 出差开会` to the card last shown as text in this chat, as a click on it. */
  private async numberedReply(msg: Incoming): Promise<Output[] | null> {
    const m = normaliseText(msg.text).match(NUMBERED_REPLY);
    if (!m) return null;
    const shown = await textCardIn(this.db, msg.platform, msg.chat.id);
    if (!shown || this.now().getTime() - shown.at > TEXT_CARD_TTL_MS) return null;
    const stored = await cardById(this.db, shown.cardId);
    const button = stored?.card.buttons?.[Number(m[1]) - 1];
    if (!stored || !button) return null;
    const parsed = valuesFromReply(stored.card, m[2] ?? '');
    if (!parsed.ok) return say(parsed.message);
    return this.handleClick({
      platform: msg.platform,
      sender: msg.sender,
      ...(msg.senderName ? { senderName: msg.senderName } : {}),
      cardId: stored.id,
      action: button.action,
      values: parsed.values,
      eventId: `text:${msg.messageId}`,
    });
  }

  /**
   * Sends on the bot's own initiative (reminders, notices). Stored in the outbox before any
   * attempt; `key` makes planning the same send twice store it once.
   */
  async send(platform: Platform, target: ChatRef, key: string, outputs: Output[], context?: unknown): Promise<number> {
    return this.plan([{ platform, target, key, outputs, context }]);
  }

  /**
   * Sends to a person one to one, on their first account on a channel that can deliver; in the
   * simulator a member's id is their account. 0 when they cannot be reached.
   */
  async notify(memberId: string, key: string, outputs: Output[]): Promise<number> {
    return this.notifyAll([{ memberId, key, outputs }]);
  }

  /** notify() for many people at once (a reminder fan-out): accounts read together, writes batched. */
  async notifyAll(sends: readonly { memberId: string; key: string; outputs: Output[] }[]): Promise<number> {
    const to = await this.directChats(sends.map((s) => s.memberId));
    const planned: Planned[] = [];
    for (const s of sends) {
      const chat = to.get(s.memberId);
      if (chat) planned.push({ ...chat, ...s });
      else
        this.log.warn('cannot reach a member: no account on a channel that delivers', {
          memberId: s.memberId,
          key: s.key,
        });
    }
    return this.plan(planned);
  }

  /** Of these members, those the bot cannot reach one to one (no account on a channel that delivers). */
  async unreachable(memberIds: readonly string[]): Promise<string[]> {
    const to = await this.directChats(memberIds);
    return memberIds.filter((id) => !to.has(id));
  }

  /** Each member's one-to-one chat: their first account on a channel that delivers (the simulator's is their id). */
  private async directChats(
    memberIds: readonly string[],
  ): Promise<Map<string, { platform: Platform; target: ChatRef }>> {
    const channels = this.channels?.();
    const accounts = await accountsOfMany(this.db, memberIds);
    const out = new Map<string, { platform: Platform; target: ChatRef }>();
    for (const id of memberIds) {
      const usable = (accounts.get(id) ?? []).filter((a) => !channels || channels.includes(a.platform));
      const account =
        usable[0] ?? (channels?.includes('sim') ? { platform: 'sim' as const, externalId: id } : undefined);
      if (account) out.set(id, { platform: account.platform, target: { kind: 'direct', id: account.externalId } });
    }
    return out;
  }

  /** The keys of the sends planned under a prefix, as they were given (each once, whatever its outputs). */
  async plannedKeys(prefix: string): Promise<string[]> {
    return [...new Set((await keysStartingWith(this.db, prefix)).map((k) => k.replace(OUTPUT_INDEX, '')))];
  }

  /** Stores the cards of these sends, then the sends themselves (in multi-row writes). */
  private async plan(sends: readonly Planned[]): Promise<number> {
    const now = this.now().getTime();
    const items: OutboxItem[] = [];
    const cards: StoredCard[] = [];
    for (const s of sends) {
      const kept = await this.nameCards(s.platform, s.target, s.outputs, s.key);
      cards.push(...kept.cards);
      items.push(
        ...kept.outputs.map((output, i) => ({
          key: `${s.key}#${i}`,
          platform: s.platform,
          target: s.target,
          output,
          context: s.context,
        })),
      );
    }
    await saveCards(this.db, cards, now);
    const queued = await enqueue(this.db, items, now);
    if (queued > 0) this.onQueued();
    return queued;
  }

  private async context(
    platform: Platform,
    chat: ChatRef,
    sender: string,
    senderName?: string,
    title?: string,
  ): Promise<Context> {
    const now = this.now();
    const [member, group] = await Promise.all([
      memberByAccount(this.db, platform, sender),
      chat.kind === 'group' ? rememberChat(this.db, platform, chat.id, title, now.getTime()) : undefined,
    ]);
    const actor = member?.id ?? `${platform}:${sender}`;
    return {
      db: this.db,
      now,
      platform,
      chat: { ...chat, orgId: group?.orgId ?? null, title: group?.title ?? null },
      sender,
      senderName: member?.name ?? senderName ?? sender,
      member: member ?? null,
      features: this.features,
      audit: (action, subject, detail) => audit(this.db, now.getTime(), { actor, action, subject, detail }),
      notify: (memberId, key, outputs) => this.notify(memberId, key, outputs),
      platformOf: async (memberId) => (await this.directChats([memberId])).get(memberId)?.platform,
    };
  }

  private async route(ctx: Context, text: string): Promise<Output[]> {
    for (const feature of this.features) {
      for (const command of feature.commands) {
        const match = text.match(command.match);
        if (match) return this.runCommand(ctx, command, match);
      }
    }
    for (const feature of this.features) {
      const outputs = await feature.fallback?.(ctx, text);
      if (outputs) return outputs;
    }
    return [];
  }

  private async runCommand(ctx: Context, command: Command, match: RegExpMatchArray): Promise<Output[]> {
    if (command.chat && command.chat !== ctx.chat.kind) {
      const where = command.chat === 'group' ? '群聊中（@我）' : '与我的单聊中';
      return say(`“${command.name}”请在${where}使用。用法：${command.usage}`);
    }
    if (command.roles) {
      const refusal = await refuseUnlessRole(ctx, command.roles, `“${command.name}”`);
      if (refusal) return refusal;
    }
    return command.run(ctx, match);
  }

  /** Names and stores the cards among outputs (see nameCards); updates apply at once. */
  private async keepCards(platform: Platform, chat: ChatRef, outputs: Output[]): Promise<Output[]> {
    const kept = await this.nameCards(platform, chat, outputs);
    await saveCards(this.db, kept.cards, this.now().getTime());
    return kept.outputs;
  }

  /**
   * Gives each new card its id (derived from the send's key when there is one, so planning the
   * same send again names the same card) and lists the cards to store; a card update replaces
   * the stored card. A malformed card is a programming error and throws.
   */
  private async nameCards(
    platform: Platform,
    chat: ChatRef,
    outputs: Output[],
    key?: string,
  ): Promise<{ outputs: Output[]; cards: StoredCard[] }> {
    const kept: Output[] = [];
    const cards: StoredCard[] = [];
    for (const [i, output] of outputs.entries()) {
      if (output.type === 'text') {
        kept.push(output);
        continue;
      }
      const problems = cardProblems(output.card);
      if (problems.length > 0) throw new Error(`bad card "${output.card.title}": ${problems.join('; ')}`);
      if (output.type === 'card-update') {
        await replaceCard(this.db, output.card.id, output.card, this.now().getTime());
        kept.push(output);
        continue;
      }
      // A handler may name a new card itself (to refer to it later, e.g. a meeting's check-in card).
      const id = output.card.id ?? (key ? await cardIdFor(`${key}#${i}`) : newId('c'));
      const card: Card & { id: string } = { ...output.card, id };
      cards.push({ id, platform, chatKind: chat.kind, chatId: chat.id, card });
      kept.push({ type: 'card', card });
    }
    return { outputs: kept, cards };
  }
}

/** A card id derived from its send's key: planning the same send again names the same card. */
async function cardIdFor(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return `c_${Array.from(digest.subarray(0, 10), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
