// 绑定 <支部名>: a 书记 binds a group chat to their branch, so the group's check-ins and
// reminders belong to that branch.

import { say } from '../cards/message';
import { auditInsert } from '../storage/audit';
import { bindChatQuery } from '../storage/chats';
import { atomic } from '../storage/db';
import { type Org, orgById, orgsNamed } from '../storage/orgs';
import { hasRole } from '../storage/people';
import type { Feature } from './feature';

export const bind: Feature = {
  name: 'bind',
  commands: [
    {
      name: '绑定',
      usage: '绑定 <支部名>',
      summary: '把本群绑定到您的党支部（书记使用）',
      match: /^绑定(?:\s*(.*))$/,
      roles: ['书记', '管理员'],
      chat: 'group',
      run: async (ctx, m) => {
        const member = ctx.member;
        if (!member) return say('您还不在党组织名册中。');
        const own = await orgById(ctx.db, member.orgId);
        const name = (m[1] ?? '').trim();
        if (!name) return say(`请写上支部名称，例如：绑定 ${own?.name ?? '某某党支部'}`);

        const found = await orgsNamed(ctx.db, name);
        if (found.length === 0) {
          return say(`没有找到名为“${name}”的党组织。${own ? `您所在的组织是“${own.name}”。` : ''}`);
        }
        if (found.length > 1) {
          return say(`“${name}”不止一个，请写出完整路径：\n${found.map((o) => `- ${o.path}`).join('\n')}`);
        }
        const org = found[0] as Org;
        if (!hasRole(member, '管理员') && org.id !== member.orgId) {
          return say(`您是“${own?.name ?? '本组织'}”的书记，只能把群绑定到本支部。`);
        }
        if (ctx.chat.orgId === org.id) return say(`本群已经绑定到“${org.name}”，无需重复绑定。`);

        const before = ctx.chat.orgId ? await orgById(ctx.db, ctx.chat.orgId) : undefined;
        const now = ctx.now.getTime();
        await atomic(ctx.db, [
          bindChatQuery(ctx.db, ctx.platform, ctx.chat.id, org.id, member.id, now),
          auditInsert(ctx.db, now, {
            actor: member.id,
            action: 'chat.bind',
            subject: `${ctx.platform}:${ctx.chat.id}`,
            detail: { orgId: org.id, previousOrgId: before?.id ?? null },
          }),
        ]);
        const was = before ? `（原绑定：${before.name}）` : '';
        return say(`已将本群绑定到“${org.name}”${was}。今后在本群发起的签到、提醒都记在该支部名下。`);
      },
    },
  ],
};
