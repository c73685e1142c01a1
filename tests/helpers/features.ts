// Features for testing a channel's mechanics, independent of what the product's features do.
import type { Feature } from '../../handlers/feature';

/** `计数` posts a card whose button counts its clicks: a card update through the channel. */
export const counter: Feature = {
  name: 'counter',
  commands: [
    {
      name: '计数',
      usage: '计数',
      summary: '测试用计数卡片',
      match: /^计数$/,
      run: async () => [
        { type: 'card', card: { title: '计数', status: '0 次', buttons: [{ action: 'counter.add', label: '加一' }] } },
      ],
    },
    {
      name: '长卡片',
      usage: '长卡片',
      summary: '测试用：正文超出企业微信卡片上限的卡片',
      match: /^长卡片$/,
      run: async () => [
        {
          type: 'card',
          card: {
            title: '长卡片',
            body: `开头${'很长的正文。'.repeat(200)}结尾`,
            buttons: [{ action: 'counter.add', label: '加一' }],
          },
        },
      ],
    },
    {
      name: '出错',
      usage: '出错',
      summary: '测试用：处理时抛出异常',
      match: /^出错$/,
      run: async () => {
        throw new Error('handler bug');
      },
    },
  ],
  actions: {
    add: async (_ctx, click) => [
      {
        type: 'card-update',
        card: { ...click.card, status: `${Number(click.card.status?.split(' ')[0] ?? 0) + 1} 次` },
      },
    ],
  },
};
