// The knowledge base: the documents with issuer, 文号 and passage count; upload (the same reading,
// refusals and atomic replace as `npm run kb add`) and removal, each in the audit log; and what
// teachers asked that the documents could not answer, the most asked first.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { IngestError } from '../../../handlers/qa/ingest';
import { audit } from '../../../storage/audit';
import { allDocuments, removeDocument } from '../../../storage/kb';
import { unansweredQuestions } from '../../../storage/qa';
import type { Assistant } from '../../core/assistant';
import { addDocument, type RichReader } from '../../files';
import { csrfField, type Html, page } from './layout';
import type { ConsoleEnv, Viewer } from './session';

const MAX_BYTES = 20 * 1024 * 1024;
/** The largest post the console reads: a document at its limit, with the form around it. */
export const MAX_POST_BYTES = MAX_BYTES + 64 * 1024;
const YEAR_MS = 365 * 86_400_000;

async function kbView(
  bot: Assistant,
  v: Viewer,
  rich: RichReader | undefined,
  notice?: { ok: boolean; text: string },
): Promise<Html> {
  const [docs, asked] = await Promise.all([
    allDocuments(bot.db),
    unansweredQuestions(bot.db, bot.now().getTime() - YEAR_MS, 50),
  ]);
  const accept = rich ? '.txt,.md,.docx,.pdf' : '.txt,.md';
  return html`<h1>知识库</h1>${notice ? html`<div class="${notice.ok ? 'done' : 'error'}">${notice.text}</div>` : ''}
<div class="card"><form method="post" action="/admin/kb/upload" enctype="multipart/form-data">${csrfField(v)}
<p><b>上传文件</b>（${rich ? '.docx、.pdf、.txt、.md' : '.txt、.md；这里不能读取 .docx 和 .pdf'}，同名文件会整体替换旧版本）</p>
<input type="file" name="file" accept="${accept}" required> <button class="primary" type="submit">上传</button></form></div>
<h2>文件（${docs.length}）</h2><div class="scroll"><table id="documents"><thead><tr><th>标题</th><th>发文机关</th><th>文号</th><th>日期</th><th>段落</th><th>文件名</th><th></th></tr></thead><tbody>${docs.map(
    (
      d,
    ) => html`<tr><td>${d.title}</td><td>${d.issuer}</td><td>${d.docNo ?? '无文号'}</td><td>${d.date ?? ''}</td><td>${d.passages}</td><td class="muted">${d.source}</td>
<td><form class="inline" method="post" action="/admin/kb/remove">${csrfField(v)}<input type="hidden" name="id" value="${d.id}"><button type="submit">删除</button></form></td></tr>`,
  )}</tbody></table></div>
<h2 id="asked">老师问了但文件没能回答的问题（近一年）</h2>${
    asked.length
      ? html`<div class="scroll"><table><thead><tr><th>问题</th><th>次数</th><th>未找到答案</th><th>被评“没用”</th></tr></thead><tbody>${asked.map(
          (q) => html`<tr><td>${q.question}</td><td>${q.times}</td><td>${q.none}</td><td>${q.useless}</td></tr>`,
        )}</tbody></table></div><p class="muted">按提问次数排列；写法不同（空格、标点）的同一问题合并计数。补充相应文件后，这些问题就能回答。</p>`
      : html`<p class="muted">还没有答不上来的问题。</p>`
  }`;
}

export function kbRoutes(bot: Assistant, rich: RichReader | undefined): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const show = async (v: Viewer, notice?: { ok: boolean; text: string }) =>
    page(v, '知识库', '/admin/kb', await kbView(bot, v, rich, notice));

  app.get('/', async (c) => c.html(await show(c.var.viewer)));

  app.post('/upload', async (c) => {
    const v = c.var.viewer;
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0)
      return c.html(await show(v, { ok: false, text: '请选择要上传的文件。' }), 400);
    if (file.size > MAX_BYTES) return c.html(await show(v, { ok: false, text: `${file.name}：文件超过 20 MB。` }), 400);
    const name = file.name.split(/[\\/]/).pop() || 'document.txt';
    try {
      const now = bot.now().getTime();
      const r = await addDocument(bot.db, name, new Uint8Array(await file.arrayBuffer()), now, rich);
      await audit(bot.db, now, {
        actor: v.member.id,
        action: 'kb.add',
        subject: r.id,
        detail: { source: name, status: r.status },
      });
      const verb = { added: '已加入', replaced: '已更新', unchanged: '未变化' }[r.status];
      return c.html(await show(v, { ok: true, text: `${verb}：《${r.title}》（${r.passages} 段）。` }));
    } catch (err) {
      if (!(err instanceof IngestError)) throw err;
      return c.html(await show(v, { ok: false, text: `未加入：${err.message}` }), 400);
    }
  });

  // Removal asks once more (the page has no script for a confirm box): the first post shows what
  // goes, the second, with `confirm`, removes it.
  app.post('/remove', async (c) => {
    const v = c.var.viewer;
    const body = await c.req.parseBody();
    const id = String(body.id ?? '');
    const doc = (await allDocuments(bot.db)).find((d) => d.id === id);
    if (!doc) return c.html(await show(v, { ok: false, text: '这份文件已经不在知识库里了。' }), 404);
    if (body.confirm !== '1')
      return c.html(
        page(
          v,
          '删除文件',
          '/admin/kb',
          html`<h1>删除文件</h1><div class="notice"><p>确定从知识库删除《${doc.title}》（${doc.source}，${doc.passages} 段）吗？删除后问答不再引用它。</p>
<form method="post" action="/admin/kb/remove">${csrfField(v)}<input type="hidden" name="id" value="${doc.id}"><input type="hidden" name="confirm" value="1">
<button class="primary" type="submit">确认删除</button> <a href="/admin/kb">取消</a></form></div>`,
        ),
      );
    const now = bot.now().getTime();
    const removed = await removeDocument(bot.db, id);
    if (!removed) return c.html(await show(v, { ok: false, text: '这份文件已经不在知识库里了。' }), 404);
    await audit(bot.db, now, {
      actor: v.member.id,
      action: 'kb.remove',
      subject: removed.id,
      detail: { source: removed.source },
    });
    return c.html(await show(v, { ok: true, text: `已删除《${removed.title}》。` }));
  });

  return app;
}
