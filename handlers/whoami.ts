// 我的信息: who the bot thinks you are, and what this group is bound to.

import { orgById } from '../storage/orgs';
import type { Feature } from './feature';

export const whoami: Feature = {
  name: 'whoami',
  commands: [
    {
      name: '我的信息',
      usage: '我的信息',
      summary: '查看我在名册中的身份和本群绑定的支部',
      match: /^(?:我的信息|我是谁)$/,
      run: async (ctx) => {
        const org = ctx.member ? await orgById(ctx.db, ctx.member.orgId) : undefined;
        const bound = ctx.chat.orgId ? await orgById(ctx.db, ctx.chat.orgId) : undefined;
        const fields = ctx.member
          ? [
              { label: '姓名', value: ctx.member.name },
              { label: '组织', value: org?.path ?? '（未知）' },
              { label: '身份', value: ctx.member.roles.join('、') },
              ...(ctx.member.partyGroup ? [{ label: '党小组', value: ctx.member.partyGroup }] : []),
            ]
          : [{ label: '名册', value: '不在名册中（可使用帮助和政策问答）' }];
        if (ctx.chat.kind === 'group') fields.push({ label: '本群绑定', value: bound?.name ?? '未绑定' });
        return [{ type: 'card', card: { title: '我的信息', fields } }];
      },
    },
  ],
};
