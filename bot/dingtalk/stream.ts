// A small client of DingTalk's Stream protocol (an outbound WebSocket: no public URL, no filed
// domain). Written here instead of wrapping dingtalk-stream 2.1.5, whose defects cannot be
// contained from outside: it parses frames with an unguarded JSON.parse inside its own socket
// handler (a non-JSON frame ends the process), its reconnect loop schedules two retries per
// failure (a storm that disconnect() cannot stop), connect() resolves even when connecting failed,
// and its keep-alive leaks a timer per connection.
//
// Here one supervisor owns the connection: it opens a ticket, connects, answers pings, acks every
// frame, reconnects after a drop or a SYSTEM disconnect with capped exponential backoff and
// jitter, watches liveness, and stops cleanly so the process can exit.
import WebSocket from 'ws';
import type { Logger } from '../core/log';

export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';

export interface StreamConfig {
  clientId: string;
  clientSecret: string;
  /** connections/open (https://api.dingtalk.com/v1.0/gateway/connections/open by default). */
  gatewayUrl: string;
}

export interface StreamHandlers {
  /** Must record the message durably before resolving: the frame is acked right after. */
  robot(data: unknown, messageId: string): Promise<boolean>;
  /** Returns the card update to put in the ack, or null. */
  card(data: unknown, messageId: string): Promise<Record<string, unknown> | null>;
}

export interface StreamOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** No frame and no pong for this long: the link is dead, reconnect. */
  watchdogMs?: number;
  random?: () => number;
  /** Injectable for tests that count reconnect attempts without waiting. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Frame {
  type?: string;
  headers?: Record<string, string>;
  data?: string;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class DingtalkStream {
  /** Every reconnect delay the supervisor chose, for the record (and for tests). */
  readonly delays: number[] = [];
  connectAttempts = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private socket: WebSocket | null = null;
  private readonly stopping = new AbortController();
  private readonly opts: Required<StreamOptions>;

  constructor(
    private readonly cfg: StreamConfig,
    private readonly handlers: StreamHandlers,
    private readonly log: Logger,
    opts: StreamOptions = {},
  ) {
    this.opts = {
      baseDelayMs: opts.baseDelayMs ?? 1000,
      maxDelayMs: opts.maxDelayMs ?? 60_000,
      watchdogMs: opts.watchdogMs ?? 90_000,
      random: opts.random ?? Math.random,
      sleep: opts.sleep ?? abortableSleep,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.supervise();
  }

  /** Stops reconnecting, closes the socket and waits until nothing of this client is left running. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.socket?.terminate();
    await this.loop;
  }

  delayFor(failures: number): number {
    const capped = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(failures, 20));
    return Math.round(capped * (0.5 + this.opts.random() / 2));
  }

  private async supervise(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let healthy = false;
      try {
        this.connectAttempts++;
        const { endpoint, ticket } = await this.openTicket();
        healthy = await this.session(`${endpoint}?ticket=${encodeURIComponent(ticket)}`);
      } catch (err) {
        this.log.warn('DingTalk stream connection failed', { err: (err as Error).message });
      }
      if (!this.running) break;
      failures = healthy ? 0 : failures + 1;
      // After a connection that worked (a drop, a SYSTEM disconnect) reconnect at once.
      if (failures > 0) {
        const delay = this.delayFor(failures - 1);
        this.delays.push(delay);
        await this.opts.sleep(delay, this.stopping.signal);
      }
    }
  }

  private async openTicket(): Promise<{ endpoint: string; ticket: string }> {
    const res = await fetch(this.cfg.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.cfg.clientId,
        clientSecret: this.cfg.clientSecret,
        ua: 'zhibu-stream/1.0',
        subscriptions: [
          { type: 'EVENT', topic: '*' },
          { type: 'CALLBACK', topic: TOPIC_ROBOT },
          { type: 'CALLBACK', topic: TOPIC_CARD },
        ],
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`connections/open answered HTTP ${res.status}`);
    const body = (await res.json()) as { endpoint?: unknown; ticket?: unknown };
    if (typeof body.endpoint !== 'string' || typeof body.ticket !== 'string')
      throw new Error('connections/open: no endpoint or ticket');
    return { endpoint: body.endpoint, ticket: body.ticket };
  }

  /** One connection, until it closes; true when it was established (the next attempt need not wait). */
  private session(url: string): Promise<boolean> {
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      this.socket = ws;
      let opened = false;
      let lastSeen = Date.now();
      const seen = () => {
        lastSeen = Date.now();
      };
      const watchdog = setInterval(
        () => {
          if (Date.now() - lastSeen > this.opts.watchdogMs) {
            this.log.warn('DingTalk stream silent too long, reconnecting');
            ws.terminate();
          } else if (ws.readyState === WebSocket.OPEN) ws.ping();
        },
        Math.max(1000, Math.floor(this.opts.watchdogMs / 3)),
      );
      ws.on('open', () => {
        opened = true;
        seen();
        this.log.info('DingTalk stream connected');
      });
      ws.on('pong', seen);
      ws.on('message', (raw) => {
        seen();
        this.onFrame(ws, raw.toString()).catch((err) =>
          this.log.error('DingTalk frame failed', { err: (err as Error).message }),
        );
      });
      ws.on('error', (err) => this.log.warn('DingTalk stream socket error', { err: err.message }));
      ws.on('close', () => {
        clearInterval(watchdog);
        if (this.socket === ws) this.socket = null;
        resolve(opened);
      });
    });
  }

  private send(ws: WebSocket, messageId: string, code: number, data: unknown): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(
      JSON.stringify({
        code,
        headers: { contentType: 'application/json', messageId },
        message: code === 200 ? 'OK' : 'error',
        data: typeof data === 'string' ? data : JSON.stringify(data),
      }),
    );
  }

  private async onFrame(ws: WebSocket, text: string): Promise<void> {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      this.log.warn('DingTalk stream sent a frame that is not JSON; ignored');
      return;
    }
    const messageId = frame.headers?.messageId ?? '';
    const topic = frame.headers?.topic ?? '';
    if (frame.type === 'SYSTEM') {
      if (topic === 'ping') this.send(ws, messageId, 200, frame.data ?? '{}');
      if (topic === 'disconnect') {
        // The server closes in ~10 s and delivers nothing more here: reconnect now.
        this.log.info('DingTalk stream asked to reconnect', { data: frame.data });
        ws.close();
      }
      return;
    }
    if (!messageId) return;
    if (frame.type === 'EVENT') {
      this.send(ws, messageId, 200, { status: 'SUCCESS', message: 'success' });
      return;
    }
    if (frame.type !== 'CALLBACK') return;
    let data: unknown;
    try {
      data = JSON.parse(frame.data ?? '');
    } catch {
      this.send(ws, messageId, 500, { response: null, message: 'data is not JSON' });
      return;
    }
    try {
      if (topic === TOPIC_ROBOT) {
        const used = await this.handlers.robot(data, messageId);
        this.send(ws, messageId, used ? 200 : 500, { response: null });
      } else if (topic === TOPIC_CARD) {
        this.send(ws, messageId, 200, { response: await this.handlers.card(data, messageId) });
      } else {
        this.send(ws, messageId, 404, { response: null });
      }
    } catch (err) {
      // Not acknowledged: DingTalk delivers it again (~60 s), when the fault may have passed.
      this.log.error('DingTalk callback failed; left for redelivery', { topic, err: (err as Error).message });
    }
  }
}
