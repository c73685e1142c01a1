// The registry's Node half: the platforms' long connections, which only a long-lived process can
// hold (their WebSocket clients are Node-only). One line for each platform that keeps one.
import type { LongConnector } from './core/platform';
import { streamConnector } from './dingtalk/stream-connector';
import { aibotConnector } from './wecom/aibot-ws';

export const CONNECTORS: readonly LongConnector[] = [aibotConnector, streamConnector];
