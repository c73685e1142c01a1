// The assistant: the one pipeline every platform hands its messages and clicks to. It accepts each
// once, resolves who is talking and where, routes to a feature, keeps the cards it sends, and
// answers in the platform's response or through the outbox. Platforms only translate (platform.ts).
import { type CardClick, type ChatRef, type Incoming, type Output, type PlatformId, say } from '../../cards/message';
import { type Card, type CardValues, cardProblems, checkValues, parseAction } from '../../cards/model';
import type { Command, Context, Feature } from '../../handlers/feature';
import { refuseUnlessRole } from '../../handlers/rights';
import { audit } from '../../storage/audit';
import { cardById, replaceCard, type StoredCard, saveCards } from '../../storage/cards';
import { rememberChat } from '../../storage/chats';
import { type AppDb, isDatabaseUnavailable, newId } from '../../storage/db';
import { firstSeen } from '../../storage/dedup';
import { enqueue, keysStartingWith, type Lane, type OutboxItem } from '../../storage/outbox';
import { accountsOfMany, type Member, memberByAccount, memberById } from '../../storage/people';
import { rememberTextCard, textCardIn } from '../../storage/text-cards';
import { type Budget, unlimited } from './budget';
import { InboundQueue } from './inbound';
import type { Logger } from './log';
import type { Inbound, Inlet, PlatformAdapter, Reply } from './platform';
import { NUMBERED_REPLY, valuesFromReply } from './text-replies';

export interface AssistantOptions {
  db: AppDb;
  features: Feature[];
  log: Logger;
  /** Every platform registered: how it knows its people, what a card holds there, how its clicks read. */
  platforms: readonly PlatformAdapter[];
  /** The platforms that can send now on the bot's initiative; absent: every platform. */
  delivering?: readonly PlatformId[];
  /** Runs work after the response (Node: in the background; Workers: ctx.waitUntil). */
  defer?: (work: () => Promise<unknown>) => void;
  now?: () => Date;
  /** Called after sends were put in the outbox, so that they go out soon. */
  onQueued?: () => void;
  /** What this invocation may still do (a Worker's statement and time limits); absent: no limit. */
  budget?: Budget;
}

/** A press on a card's button in the card's own terms: numbered replies and the web page make these. */
export interface ButtonPress {
  platform: PlatformId;
  sender: string;
  senderName?: string;
  cardId: string;
  action: string;
  values: CardValues;
}

/** A send on the bot's initiative, before its cards are named and it is stored. */
interface Planned {
  platform: PlatformId;
  target: ChatRef;
  key: string;
  outputs: Output[];
  context?: unknown;
  lane?: Lane;
}

/** How long a card shown as text takes numbered replies. */
const TEXT_CARD_TTL_MS = 48 * 3600_000;
/** A send of several outputs is stored a row an output, its key ending in the output's index. */
const OUTPUT_INDEX = /#\d+$/;
/** The inbound work of an event queued by its adapter: answer it through the outbox. */
const REPLY_WORK = 'reply';

const SORRY: Output = { type: 'text', text: '抱歉，处理您的消息时出错了，请稍后再试。问题已记录。' };

/** Full-width letters, digits and punctuation to half-width; spaces folded. */
function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

const platformOf = (event: Inbound): PlatformId => (event.message ? event.message.platform : event.click.platform);

/** Where an event's answer goes: the chat a message came from; a clicker, one to one. */
const answerTo = (event: Inbound): ChatRef =>
  event.message ? event.message.chat : { kind: 'direct', id: event.click.sender };

export class Assistant implements Inlet {
  readonly db: AppDb;
  readonly features: readonly Feature[];
  /** Callbacks accepted before they are answered, worked off afterwards. */
  readonly inbound: InboundQueue;
  /** Long work (reminder fan-outs, queues) asks it before each step. */
  readonly budget: Budget;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly onQueued: () => void;
  private readonly defer: (work: () => Promise<unknown>) => void;
  private readonly platforms: ReadonlyMap<PlatformId, PlatformAdapter>;
  private readonly delivering: readonly PlatformId[] | undefined;

  constructor(opts: AssistantOptions) {
    this.db = opts.db;
    this.features = opts.features;
    this.log = opts.log;
    this.clock = opts.now ?? (() => new Date());
    this.onQueued = opts.onQueued ?? (() => {});
    this.defer =
      opts.defer ??
      ((work) => {
        work().catch((err) => this.log.error('deferred work failed', { err }));
      });
    this.platforms = new Map(opts.platforms.map((p) => [p.id, p]));
    this.delivering = opts.delivering;
    this.budget = opts.budget ?? unlimited;
    this.inbound = new InboundQueue(this.db, this.log, () => this.now().getTime(), this.budget);
    this.inbound.register(REPLY_WORK, (payload) => this.replyLater(payload as Inbound));
  }

  /** The platforms that can deliver now; undefined: every platform. */
  deliveringChannels(): readonly PlatformId[] | undefined {
    return this.delivering;
  }

  now(): Date {
    return this.clock();
  }

  /** A platform's adapter; one the registry does not have is a programming error. */
  private platform(id: PlatformId): PlatformAdapter {
    const adapter = this.platforms.get(id);
    if (!adapter) throw new Error(`no platform "${id}" is registered`);
    return adapter;
  }

  /** Stores the event before its platform hears back; it is answered afterwards, through the outbox. */
  async queue(event: Inbound): Promise<boolean> {
    if (!(await this.inbound.accept(platformOf(event), event.key, REPLY_WORK, event))) return false;
    this.defer(() => this.inbound.kick());
    return true;
  }

  /** The work of a queued event: its answer, through the outbox under keys derived from the event's. */
  private async replyLater(event: Inbound): Promise<void> {
    await this.sendAnswer(
      platformOf(event),
      answerTo(event),
      `reply:${event.key}`,
      await this.handle(event),
      event.context,
    );
  }

  /** An answer's outputs, their cards named and stored already (keepCards): into the outbox, ahead of bulk sends. */
  private async sendAnswer(
    platform: PlatformId,
    target: ChatRef,
    key: string,
    outputs: Output[],
    context?: unknown,
  ): Promise<void> {
    const items = outputs.map((output, i) => ({
      key: `${key}#${i}`,
      platform,
      target,
      output,
      context,
      lane: 'reply' as const,
    }));
    if ((await enqueue(this.db, items, this.now().getTime())) > 0) this.onQueued();
  }

  /** Records a key of a platform's (inbound_seen); false when it was recorded before. */
  firstUse(platform: PlatformId, key: string): Promise<boolean> {
    return firstSeen(this.db, platform, key, this.now().getTime());
  }

  /** Takes the event once and answers it now; the adapter's `reply` says what its response carries. */
  async answer<Body>(event: Inbound, reply: (outputs: Output[]) => Reply<Body>): Promise<Body | null> {
    const platform = platformOf(event);
    if (!(await this.firstUse(platform, event.key))) return null;
    const answered = reply(await this.handle(event));
    const to = answerTo(event);
    if (answered.rest?.length) await this.sendAnswer(platform, to, `reply:${event.key}`, answered.rest);
    for (const also of answered.also ?? [])
      await this.send(platform, also.to, also.key, also.outputs, undefined, 'reply');
    for (const cardId of answered.asText ?? []) await this.showAsText(platform, to, cardId);
    return answered.body;
  }

  private handle(event: Inbound): Promise<Output[]> {
    return event.message ? this.handleMessage(event.message) : this.handleClick(event.click);
  }

  /** Answers a message already accepted. */
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

  /** A click as its platform reported it: read back through the card it names, then answered. */
  async handleClick(click: CardClick): Promise<Output[]> {
    try {
      const stored = await cardById(this.db, click.cardId);
      if (!stored || stored.platform !== click.platform) return say('这张卡片已失效，请重新发起。');
      const read = this.platform(click.platform).readClick;
      const pressed = read
        ? (read(stored.card, click) ?? { action: click.button, values: {} })
        : { action: click.button, values: click.values };
      const { platform, sender, senderName } = click;
      const who = { platform, sender, ...(senderName ? { senderName } : {}) };
      return await this.pressOn(stored, { ...who, cardId: stored.id, ...pressed });
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      this.log.error('click failed', { platform: click.platform, cardId: click.cardId, err });
      return [SORRY];
    }
  }

  /** A press in the card's own terms (the web page's form posts): checked against the card, then answered. */
  async press(press: ButtonPress): Promise<Output[]> {
    try {
      const stored = await cardById(this.db, press.cardId);
      if (!stored || stored.platform !== press.platform) return say('这张卡片已失效，请重新发起。');
      return await this.pressOn(stored, press);
    } catch (err) {
      this.log.error('click failed', { platform: press.platform, cardId: press.cardId, err });
      return [SORRY];
    }
  }

  /** Refuses an action the card does not carry and values it did not offer; else runs the feature's action. */
  private async pressOn(stored: StoredCard, press: ButtonPress): Promise<Output[]> {
    if (!stored.card.buttons?.some((b) => b.action === press.action)) {
      // A card that was closed (no buttons left) says why, in its own status: 签到已结束, 已提交…
      const closed = !stored.card.buttons?.length && stored.card.status;
      return say(closed ? `这张卡片已关闭：${closed}。` : '这个按钮已失效，请使用最新的卡片。');
    }
    const checked = checkValues(stored.card, press.values);
    if (!checked.ok) return say(checked.message);
    const { feature, verb, arg } = parseAction(press.action);
    const run = this.features.find((f) => f.name === feature)?.actions?.[verb];
    if (!run) {
      this.log.warn('click on an action no feature handles', { action: press.action });
      return say('这个按钮已失效，请使用最新的卡片。');
    }
    const chat: ChatRef = { kind: stored.chatKind, id: stored.chatId };
    const ctx = await this.context(press.platform, chat, press.sender, press.senderName);
    const outputs = await run(ctx, { verb, arg, values: checked.values, card: { ...stored.card, id: stored.id } });
    return await this.keepCards(press.platform, chat, outputs);
  }

  /** A card went out as numbered text in this chat: replies `1`, `2 …` there click it. */
  async showAsText(platform: PlatformId, chat: ChatRef, cardId: string): Promise<void> {
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
    if (stored.platform !== msg.platform) return say('这张卡片已失效，请重新发起。');
    return this.pressOn(stored, {
      platform: msg.platform,
      sender: msg.sender,
      ...(msg.senderName ? { senderName: msg.senderName } : {}),
      cardId: stored.id,
      action: button.action,
      values: parsed.values,
    });
  }

  /**
   * Sends on the bot's own initiative (reminders, notices), or an answer (`lane` reply: goes
   * before the bulk sends). Stored in the outbox before any attempt; `key` makes planning the
   * same send twice store it once.
   */
  async send(
    platform: PlatformId,
    target: ChatRef,
    key: string,
    outputs: Output[],
    context?: unknown,
    lane: Lane = 'bulk',
  ): Promise<number> {
    return this.plan([{ platform, target, key, outputs, context, lane }]);
  }

  /** Sends to a person one to one, on their first account on a platform that delivers; 0 when they cannot be reached. */
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

  /**
   * Each member's one-to-one chat: their first roster account on a platform that delivers, else
   * the first delivering platform that knows people by member id (the simulator).
   */
  private async directChats(
    memberIds: readonly string[],
  ): Promise<Map<string, { platform: PlatformId; target: ChatRef }>> {
    const delivering = this.delivering;
    const byMemberId = delivering?.find((id) => this.platforms.get(id)?.people === 'member-id');
    const accounts = await accountsOfMany(this.db, memberIds);
    const out = new Map<string, { platform: PlatformId; target: ChatRef }>();
    for (const id of memberIds) {
      const usable = (accounts.get(id) ?? []).filter((a) => !delivering || delivering.includes(a.platform));
      const account = usable[0] ?? (byMemberId ? { platform: byMemberId, externalId: id } : undefined);
      if (account) out.set(id, { platform: account.platform, target: { kind: 'direct', id: account.externalId } });
    }
    return out;
  }

  /** The member behind an id on a platform: a roster account, or the member id itself where people are picked by it. */
  memberOn(platform: PlatformId, sender: string): Promise<Member | undefined> {
    return this.platform(platform).people === 'member-id'
      ? memberById(this.db, sender)
      : memberByAccount(this.db, platform, sender);
  }

  /** The ids that @-mention these members on a platform. */
  private async mentionsOf(platform: PlatformId, memberIds: readonly string[]): Promise<string[]> {
    if (this.platform(platform).people === 'member-id') return [...memberIds];
    const accounts = await accountsOfMany(this.db, memberIds);
    return memberIds.flatMap((id) =>
      (accounts.get(id) ?? []).filter((a) => a.platform === platform).map((a) => a.externalId),
    );
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
          lane: s.lane ?? 'bulk',
        })),
      );
    }
    await saveCards(this.db, cards, now);
    const queued = await enqueue(this.db, items, now);
    if (queued > 0) this.onQueued();
    return queued;
  }

  private async context(
    platform: PlatformId,
    chat: ChatRef,
    sender: string,
    senderName?: string,
    title?: string,
  ): Promise<Context> {
    const now = this.now();
    const [member, group] = await Promise.all([
      this.memberOn(platform, sender),
      chat.kind === 'group' ? rememberChat(this.db, platform, chat.id, title, now.getTime()) : undefined,
    ]);
    const actor = member?.id ?? `${platform}:${sender}`;
    const here = this.platform(platform).formItemsPerCard;
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
      formItemsPerCard: here,
      formItemsPerCardFor: async (memberId) => {
        const there = (await this.directChats([memberId])).get(memberId)?.platform;
        return there ? this.platform(there).formItemsPerCard : here;
      },
      mentionsOf: (memberIds) => this.mentionsOf(platform, memberIds),
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
  private async keepCards(platform: PlatformId, chat: ChatRef, outputs: Output[]): Promise<Output[]> {
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
    platform: PlatformId,
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
