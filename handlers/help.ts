// 帮助: what the bot can do for this person, as a card with a button per command.

import type { Output } from '../cards/message';
import type { Card } from '../cards/model';
import { hasRole } from '../storage/people';
import type { Command, Context, Feature } from './feature';

const MAX_BUTTONS = 6;

function usable(ctx: Context): Command[] {
  return ctx.features
    .flatMap((f) => f.commands)
    .filter((c) => c.name !== '帮助' && (!c.roles || hasRole(ctx.member, ...c.roles)));
}

function firstPerFeature(ctx: Context): Command[] {
  return ctx.features.flatMap((f) => {
    const first = f.commands.find((c) => c.name !== '帮助' && (!c.roles || hasRole(ctx.member, ...c.roles)));
    return first ? [first] : [];
  });
}

export function helpCard(ctx: Context, status?: string): Card {
  const commands = usable(ctx);
  const who = ctx.member ? `${ctx.member.name}（${ctx.member.roles.join('、')}）` : '老师';
  const lines = commands.map((c) => `- **${c.usage}**：${c.summary}`);
  const notes = [
    ctx.chat.kind === 'group' ? '在群里请先 @我 再说话。' : '',
    ctx.member ? '' : '您还不在党组织名册中，签到、提醒等功能需管理员把您加入名册后才能使用。',
  ].filter(Boolean);
  return {
    title: '支部助手 · 我能做什么',
    body: [`${who}您好，我可以：`, ...lines, ...notes].join('\n'),
    // A button per feature (its first command this person may use): the body lists them all.
    buttons: firstPerFeature(ctx)
      .slice(0, MAX_BUTTONS)
      .map((c) => ({ action: `help.topic:${c.name}`, label: c.name })),
    ...(status ? { status } : {}),
  };
}

function topicText(ctx: Context, name: string): Output[] {
  const command = usable(ctx).find((c) => c.name === name);
  if (!command) return [{ type: 'card', card: helpCard(ctx, `没有“${name}”这项功能，以下是我能做的事。`) }];
  const where =
    command.chat === 'group' ? '（在绑定的群聊中 @我 使用）' : command.chat === 'direct' ? '（在单聊中使用）' : '';
  return [{ type: 'text', text: `【${command.name}】${command.summary}${where}\n用法：${command.usage}` }];
}

export const help: Feature = {
  name: 'help',
  commands: [
    {
      name: '帮助',
      usage: '帮助',
      summary: '查看我能做什么',
      match: /^(?:帮助|help|菜单|功能|\?)(?:\s+(.+))?$/i,
      run: async (ctx, m) => (m[1] ? topicText(ctx, m[1].trim()) : [{ type: 'card', card: helpCard(ctx) }]),
    },
  ],
  actions: {
    topic: async (ctx, click) => topicText(ctx, click.arg ?? ''),
  },
  // Last in line: whatever no feature understood gets the menu.
  fallback: async (ctx, text) => [
    { type: 'card', card: helpCard(ctx, text ? `没有听懂“${text.slice(0, 20)}”，以下是我能做的事。` : undefined) },
  ],
};
