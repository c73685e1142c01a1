// DingTalk's Stream mode as the long connection the Node entry opens (bot/platforms-node.ts): the
// Stream client (Node only, on `ws`) hands robot messages and card clicks to the core.
import type { LongConnector } from '../core/platform';
import { receiveCardClick, receiveRobot } from './receive';
import { type DingtalkSettings, dingtalkConfig } from './settings';
import { DingtalkStream } from './stream';

export const streamConnector: LongConnector<DingtalkSettings> = {
  platform: 'dingtalk',
  connect(settings, { log }) {
    const config = dingtalkConfig(settings);
    if (config?.mode !== 'stream') return undefined;
    let stream: DingtalkStream | undefined;
    return {
      start(inlet) {
        stream = new DingtalkStream(
          { clientId: config.api.clientId, clientSecret: config.api.clientSecret, gatewayUrl: config.gatewayUrl },
          {
            robot: (data) => receiveRobot(inlet, log, data),
            card: (data, messageId) => receiveCardClick(inlet, log, data, messageId),
          },
          log,
        );
        stream.start();
      },
      stop: () => stream?.stop(),
    };
  },
};
