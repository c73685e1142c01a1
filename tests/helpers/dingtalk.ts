// A whole bot with DingTalk configured, against the fake Stream gateway and the fake OpenAPI.
import { Dispatcher, drainOutbox } from '../../bot/core/delivery';
import { silentLogger } from '../../bot/core/log';
import { DingtalkApi } from '../../bot/dingtalk/api';
import { receiveCardClick, receiveRobot } from '../../bot/dingtalk/receive';
import { DingtalkSender } from '../../bot/dingtalk/sender';
import { DingtalkStream, type StreamOptions } from '../../bot/dingtalk/stream';
import type { Feature } from '../../handlers/feature';
import { DINGTALK_CLIENT as CLIENT, DINGTALK_TEMPLATE as TEMPLATE, DINGTALK_USERS as USERS } from '../fakes/accounts';
import { startFakeGateway } from '../fakes/dingtalk-gateway';
import { startFakeOpenApi } from '../fakes/dingtalk-openapi';
import { testBot } from './bot';
import { EVENT_DEADLINE_MS, until as waitUntil } from './until';

export { DINGTALK_CLIENT as CLIENT, DINGTALK_TEMPLATE as TEMPLATE, DINGTALK_USERS as USERS } from '../fakes/accounts';

export async function dingtalkHarness(
  opts: { template?: boolean; extraFeatures?: Feature[]; stream?: StreamOptions } = {},
) {
  const api = await startFakeOpenApi({ ...CLIENT, templateId: TEMPLATE, users: USERS });
  const gateway = await startFakeGateway({ ...CLIENT, cardStore: api });
  const pending = new Set<Promise<unknown>>();
  const defer = (thunk: () => Promise<unknown>) => {
    const work = thunk();
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const t = await testBot({ ...(opts.extraFeatures ? { extraFeatures: opts.extraFeatures } : {}), defer });
  const client = new DingtalkApi({ ...CLIENT, apiBase: api.url });
  const sender = new DingtalkSender(
    client,
    { ...(opts.template ? { templateId: TEMPLATE } : {}), callbackType: 'STREAM' },
    (chat, cardId) => t.bot.showAsText('dingtalk', chat, cardId),
  );
  const dispatcher = new Dispatcher(
    'outbox',
    () => drainOutbox(t.db, { dingtalk: sender }, Date.now, silentLogger),
    silentLogger,
  );
  const stream = new DingtalkStream(
    { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, gatewayUrl: gateway.openUrl },
    {
      robot: (data) => receiveRobot(t.bot, silentLogger, data),
      card: (data, messageId) => receiveCardClick(t.bot, silentLogger, data, messageId),
    },
    silentLogger,
    opts.stream ?? { baseDelayMs: 20, maxDelayMs: 200, watchdogMs: 3000 },
  );

  let n = 0;
  /** A robot message as DingTalk pushes it, with a live session webhook. */
  function robotPayload(text: string, from: string, group?: { id: string; title?: string }, msgId = `msg${++n}`) {
    const conversationId = group?.id ?? `cid-direct-${from}`;
    const hook = api.sessionWebhook(conversationId);
    return {
      msgId,
      conversationId,
      conversationType: group ? '2' : '1',
      ...(group?.title ? { conversationTitle: group.title } : {}),
      senderStaffId: from,
      senderId: `$:LWCP_v1:$${from}`,
      senderNick: from,
      chatbotUserId: 'bot-dingtalk-id',
      msgtype: 'text',
      text: { content: group ? ` ${text}` : text },
      isInAtList: Boolean(group),
      atUsers: group ? [{ dingtalkId: 'bot-dingtalk-id' }] : [],
      sessionWebhook: hook.url,
      sessionWebhookExpiredTime: hook.expiresAt,
      createAt: Date.now(),
      robotCode: CLIENT.robotCode,
    };
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await dispatcher.kick();
    }
  }

  /** Waits until `cond` holds, settling the bot's work meanwhile. */
  const until = (cond: () => boolean, timeoutMs = EVENT_DEADLINE_MS) =>
    waitUntil(cond, { timeoutMs, between: settle, pauseMs: 15 });

  return {
    api,
    gateway,
    t,
    stream,
    robotPayload,
    settle,
    until,
    async close() {
      await stream.stop();
      await gateway.close();
      await api.close();
      t.close();
    },
  };
}
