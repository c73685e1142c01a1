// Policy Q&A in chat: any question no command claims is answered from the loaded documents,
// as a card with the citations, 原文 N for a full passage, and 有用 / 没用 votes.

import { type Output, say } from '../../cards/message';
import type { Card } from '../../cards/model';
import { newId } from '../../storage/db';
import { answerById, lastAnswerTo, saveAnswer, vote } from '../../storage/qa';
import type { Context, Feature } from '../feature';
import { type Answer, type Citation, citationLine } from './citation';
import type { Knowledge } from './knowledge';

const QUOTE_PREVIEW = 60;

/** Text that reads as a question (or a topic to look up) rather than small talk or a typo'd command. */
export function looksLikeQuestion(text: string): boolean {
  return (
    /[?？]|吗|呢|什么|多少|几|怎么|如何|哪|谁|是否|能否|要不要|有没有|规定|要求|标准/.test(text) || text.length >= 6
  );
}

function answerCard(answerId: string, a: Answer): Card {
  const sources = a.citations.map((c, i) => {
    const preview = c.quote.length > QUOTE_PREVIEW ? `${c.quote.slice(0, QUOTE_PREVIEW)}…` : c.quote;
    return `${i + 1}. ${citationLine(c)}\n   “${preview}”`;
  });
  return {
    title: a.kind === 'none' ? '政策问答 · 文件未涉及' : a.kind === 'related' ? '政策问答 · 相关规定' : '政策问答',
    body: [a.answer, ...(sources.length ? ['', '**依据**', ...sources] : [])].join('\n'),
    buttons: [
      { action: `qa.vote:up-${answerId}`, label: '有用', style: 'primary' },
      { action: `qa.vote:down-${answerId}`, label: '没用' },
    ],
    ...(a.citations.length
      ? { status: `回复“原文 1”${a.citations.length > 1 ? `到“原文 ${a.citations.length}”` : ''}查看引用的全文` }
      : {}),
  };
}

function fullPassage(c: Citation, n: number): string {
  return `【原文 ${n}】${citationLine(c)}\n${c.passage ?? c.quote}`;
}

/** The Q&A feature over one knowledge base (its caches live as long as the process). */
export function qaFeature(knowledge: Knowledge): Feature {
  const ask = async (ctx: Context, text: string): Promise<Output[]> => {
    const answer = await knowledge.ask(text);
    const id = newId('a');
    await saveAnswer(ctx.db, {
      id,
      askedAt: ctx.now.getTime(),
      platform: ctx.platform,
      sender: ctx.sender,
      question: text,
      found: answer.found,
      answer,
    });
    return [{ type: 'card', card: answerCard(id, answer) }];
  };

  return {
    name: 'qa',
    commands: [
      {
        name: '问',
        usage: '问 党组织活动经费不低于多少？',
        summary: '按已载入的政策文件回答问题，并注明出处（也可以直接提问）',
        match: /^(?:问|提问|政策问答)\s*(.+)$/,
        run: (ctx, m) => ask(ctx, (m[1] ?? '').trim()),
      },
      {
        name: '原文',
        usage: '原文 1',
        summary: '查看上一个回答引用的原文全文',
        match: /^原文\s*(\d)$/,
        run: async (ctx, m) => {
          const last = await lastAnswerTo(ctx.db, ctx.platform, ctx.sender);
          const citations = (last?.answer as Answer | undefined)?.citations ?? [];
          const n = Number(m[1]);
          const c = citations[n - 1];
          if (!c) {
            return [
              {
                type: 'text',
                text: citations.length
                  ? `上一个回答只有 ${citations.length} 处引用，请回复“原文 1”到“原文 ${citations.length}”。`
                  : '还没有可以查看的引用。请先提一个政策问题。',
              },
            ];
          }
          return say(fullPassage(c, n));
        },
      },
    ],
    actions: {
      vote: async (ctx, click) => {
        const [direction, answerId] = (click.arg ?? '').split(/-(.+)/);
        if (!answerId || !(await answerById(ctx.db, answerId))) {
          return say('这个回答已找不到了。');
        }
        await vote(ctx.db, answerId, ctx.sender, direction === 'up', ctx.now.getTime());
        return say(direction === 'up' ? '谢谢反馈！' : '谢谢反馈，我们会据此改进。');
      },
    },
    // A question, or a bare term the documents speak of (一岗双责, 联系点): answered; else the help card.
    fallback: async (ctx, text) => (looksLikeQuestion(text) || (await knowledge.isTopic(text)) ? ask(ctx, text) : null),
  };
}
