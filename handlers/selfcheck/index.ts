// 自查: a branch fills a self-check form through cards (a section at a time, as many items a card
// as the platform allows), submits it, and — for a graded form — the superior organisation's
// 书记 reviews it item by item; the final grade goes to both, and the weak items become an 整改表
// the branch completes. Drafts live in the database, so a restart or a switch to the web page
// loses nothing; a submitted version never changes.

import { type Output, say } from '../../cards/message';
import type { Card } from '../../cards/model';
import { periodOf, shanghaiDate } from '../../domain/calendar';
import { type FormDefinition, itemsOf } from '../../domain/forms';
import {
  type Answers,
  advanceEntry,
  entriesWithStatus,
  entryById,
  type FormEntry,
  latestEntries,
  latestEntry,
  patchEntry,
  startDraft,
} from '../../storage/form-entries';
import { allOrgs, branchesOf, orgById } from '../../storage/orgs';
import { hasRole, leadersOf, type Member, superiorLeadersOf } from '../../storage/people';
import type { Context, Feature } from '../feature';
import type { LinkSigner } from '../links';
import { checkPage, labelOf, type Mode, missingOf, pageCard, pagesOf } from './pages';
import {
  checkSectionPoints,
  fillersOf,
  rectificationDraft,
  resultCard,
  reviewResult,
  sectionReviewCard,
  sectionReviewResult,
  selfResult,
  statusLabel,
} from './review';
import { formLink } from './web';

/** A click on a page of an entry: `index` is the page, or `all` for the web page holding every item. */
interface Clicked {
  entry: FormEntry;
  form: FormDefinition;
  mode: Mode;
  index: number | 'all';
}

export function selfcheckFeature(forms: readonly FormDefinition[], links?: LinkSigner): Feature {
  const formOf = (id: string | undefined) => forms.find((f) => f.id === id);
  const graded = forms.find((f) => f.scoring);

  /** A page of an entry with `perCard` items a card (by default as many as the sender's card holds). */
  function page(
    ctx: Context,
    form: FormDefinition,
    entry: FormEntry,
    mode: Mode,
    index: number,
    perCard = ctx.formItemsPerCard,
  ): Card {
    const pages = pagesOf(form, perCard);
    const values = mode === 's' ? entry.answers : { ...entry.answers, ...(entry.review ?? {}) };
    return pageCard({
      form,
      entryId: entry.id,
      mode,
      pages,
      index: Math.max(0, Math.min(index, pages.length - 1)),
      values,
      ...(mode === 'r' ? { self: entry.answers } : {}),
    });
  }

  /** The first page with a required item still empty: where a returning member left off. */
  function resumeAt(ctx: Context, form: FormDefinition, answers: Answers): number {
    const pages = pagesOf(form, ctx.formItemsPerCard);
    const missing = new Set(missingOf(form, answers).map((i) => i.id));
    const at = pages.findIndex((p) => p.items.some((i) => missing.has(i.id)));
    return at < 0 ? pages.length - 1 : at;
  }

  /** The entry a click names, with the form, if the clicker may act on it in this mode. */
  async function clicked(ctx: Context, arg: string | undefined): Promise<Clicked | string> {
    const m = (arg ?? '').match(/^([a-z]+_[0-9a-f]+):([sr])(\d+|a)$/);
    const entry = m ? await entryById(ctx.db, m[1] as string) : undefined;
    const form = formOf(entry?.formId);
    if (!m || !entry || !form) return '这张卡片已失效，请发“自查”重新打开。';
    const mode = m[2] as Mode;
    const refused = await refusal(ctx, entry, form, mode);
    return refused ?? { entry, form, mode, index: m[3] === 'a' ? 'all' : Number(m[3]) };
  }

  /** Why the sender may not act on this entry in this mode, or null. */
  async function refusal(ctx: Context, entry: FormEntry, form: FormDefinition, mode: Mode): Promise<string | null> {
    const me = ctx.member;
    if (!me) return '请先“绑定 姓名”，才能填写自查表。';
    if (mode === 's') {
      if (!(await fillersOf(ctx.db, entry.orgId)).some((m) => m.id === me.id))
        return `只有本支部的书记（或支委委员代填）可以填写${form.title}。`;
      if (entry.status !== 'draft')
        return `这份${form.title}已于提交后锁定（${statusLabel(form, entry.status)}），不能再改；需要更正请发“自查”并选择“更正”。`;
    } else {
      if (!(await superiorLeadersOf(ctx.db, entry.orgId)).some((m) => m.id === me.id))
        return '只有上级党组织的书记（或管理员）可以考评。';
      if (entry.status === 'superseded') return `这份${form.title}已更正为新版本，请使用新版本的考评卡片。`;
      if (entry.status !== 'submitted') return `这份${form.title}已经考评过了（${statusLabel(form, entry.status)}）。`;
    }
    return null;
  }

  /** Saves a page's answers; a refusal message when they are not acceptable. */
  async function savePage(
    ctx: Context,
    c: Clicked,
    values: Answers,
  ): Promise<{ ok: true; entry: FormEntry } | { ok: false; message: string }> {
    const pages = pagesOf(c.form, ctx.formItemsPerCard);
    const items = c.index === 'all' ? itemsOf(c.form) : (pages[c.index]?.items ?? []);
    const checked = checkPage(items, values, shanghaiDate(ctx.now.getTime()));
    if (!checked.ok) return checked;
    const column = c.mode === 's' ? 'answers' : 'review';
    if (!(await patchEntry(ctx.db, c.entry.id, column, checked.patch, ctx.now.getTime())))
      return { ok: false, message: '这份表已经提交或考评，不能再改。' };
    const entry = (await entryById(ctx.db, c.entry.id)) as FormEntry;
    return { ok: true, entry };
  }

  /**
   * The same card turned to another page: one card walks through the form (on WeCom an update in
   * place where the page fits one template card), and the old page's buttons stop working.
   */
  const turn = (card: Card & { id: string }, next: Card): Output => ({
    type: 'card-update',
    card: { ...next, id: card.id },
  });

  const closed = (card: Card & { id: string }, status: string): Output => ({
    type: 'card-update',
    card: { ...card, inputs: [], buttons: [], status },
  });

  async function open(ctx: Context, form: FormDefinition): Promise<Output[]> {
    const me = ctx.member;
    if (!me) return say('请先“绑定 姓名”，才能填写自查表。');
    if (!(await fillersOf(ctx.db, me.orgId)).some((m) => m.id === me.id))
      return say(`只有支部书记（或支委委员代填）可以填写${form.title}。`);
    const period = periodOf(form.every, shanghaiDate(ctx.now.getTime())).id;
    const latest = await latestEntry(ctx.db, form.id, me.orgId, period);
    if (latest && latest.status !== 'draft') return [{ type: 'card', card: resultCard(form, latest, true) }];
    const entry =
      latest ??
      (await startDraft(ctx.db, {
        formId: form.id,
        orgId: me.orgId,
        period,
        answers: {},
        by: me.id,
        now: ctx.now.getTime(),
      }));
    const outputs: Output[] = [{ type: 'card', card: page(ctx, form, entry, 's', resumeAt(ctx, form, entry.answers)) }];
    if (links) {
      const url = await formLink(links, entry, ctx.platform, ctx.sender, ctx.now.getTime());
      outputs.push(...say(`表比较长，也可以在网页上填写（和卡片是同一份草稿，链接 2 小时内有效）：${url}`));
    }
    return outputs;
  }

  /** Submits a branch's entry: computes what the form scores, locks it, and asks for the review. */
  async function submit(ctx: Context, form: FormDefinition, entry: FormEntry): Promise<Output[]> {
    const missing = missingOf(form, entry.answers);
    if (missing.length > 0)
      return say(
        `还有 ${missing.length} 项没有填：${missing.slice(0, 5).map(labelOf).join('、')}${missing.length > 5 ? ' 等' : ''}。`,
      );
    const me = ctx.member as Member;
    const result = selfResult(form, entry.answers);
    if (!(await advanceEntry(ctx.db, entry.id, 'draft', 'submitted', { by: me.id, now: ctx.now.getTime(), result })))
      return say('这份表已经提交过了。');
    await ctx.audit('selfcheck.submit', entry.id, { form: form.id, version: entry.version, result });
    const submitted = (await entryById(ctx.db, entry.id)) as FormEntry;
    const outputs: Output[] = [{ type: 'card', card: resultCard(form, submitted, false) }];
    if (!form.scoring) {
      if (submitted.formId === 'rectification') outputs.push(...say('整改表已提交，到期前会提醒您确认完成情况。'));
      return outputs;
    }
    const reviewers = await superiorLeadersOf(ctx.db, entry.orgId);
    const org = await orgById(ctx.db, entry.orgId);
    for (const r of reviewers) {
      const intro = say(
        `${org?.name ?? ''}提交了${form.title}（自评 ${String(result.self)} 分），请考评：可逐项调整后提交，或全部采纳自评。`,
      );
      await ctx.notify(r.id, `selfcheck-review:${entry.id}:${r.id}`, [
        ...intro,
        { type: 'card', card: page(ctx, form, submitted, 'r', 0, await ctx.formItemsPerCardFor(r.id)) },
      ]);
    }
    outputs.push(
      ...say(
        reviewers.length > 0
          ? `已送${reviewers.map((r) => r.name).join('、')}考评。`
          : '上级组织还没有书记或管理员，暂时无人考评。',
      ),
    );
    return outputs;
  }

  /** Completes a review with the answers given (unanswered items as the branch assessed them). */
  async function finishReview(
    ctx: Context,
    form: FormDefinition,
    entry: FormEntry,
    result = reviewResult(form, entry),
  ): Promise<Output[]> {
    const me = ctx.member as Member;
    if (!(await advanceEntry(ctx.db, entry.id, 'submitted', 'reviewed', { by: me.id, now: ctx.now.getTime(), result })))
      return say('这份表已经考评过了。');
    await ctx.audit('selfcheck.review', entry.id, { form: form.id, result });
    const reviewed = (await entryById(ctx.db, entry.id)) as FormEntry;
    const card = resultCard(form, reviewed, false);
    for (const m of await leadersOf(ctx.db, entry.orgId))
      await ctx.notify(m.id, `selfcheck-result:${entry.id}:${m.id}`, [{ type: 'card', card }]);
    const rectification = formOf('rectification');
    if (rectification) {
      const draft = await rectificationDraft(ctx.db, form, reviewed, rectification, ctx.now.getTime(), me.id);
      if (draft) {
        for (const m of await leadersOf(ctx.db, entry.orgId)) {
          await ctx.notify(m.id, `selfcheck-rectify:${draft.id}:${m.id}`, [
            ...say('根据考评结果，已为您预填整改表，请补充整改措施、完成时间和定点联系人后提交。'),
            { type: 'card', card: page(ctx, rectification, draft, 's', 0, await ctx.formItemsPerCardFor(m.id)) },
          ]);
        }
      }
    }
    return [{ type: 'card', card }];
  }

  /** The 自查 card: the forms a branch fills, with where each stands this period. */
  async function menu(ctx: Context): Promise<Output[]> {
    const me = ctx.member;
    if (!me) return say('请先“绑定 姓名”。');
    const today = shanghaiDate(ctx.now.getTime());
    const lines: string[] = [];
    const buttons: NonNullable<Card['buttons']> = [];
    for (const form of forms) {
      const period = periodOf(form.every, today).id;
      const latest = await latestEntry(ctx.db, form.id, me.orgId, period);
      lines.push(`- ${form.title}（${period}）：${statusLabel(form, latest?.status)}`);
      if (form.id !== 'rectification' || latest)
        buttons.push({
          action: `selfcheck.open:${form.id}`,
          label: form.short ?? form.title,
        });
    }
    return [{ type: 'card', card: { title: '自查', body: lines.join('\n'), buttons } }];
  }

  /** Where every branch stands on the graded form this period (admins). */
  async function overview(ctx: Context): Promise<Output[]> {
    if (!graded) return say('没有启用分类定级评分表。');
    const period = periodOf(graded.every, shanghaiDate(ctx.now.getTime())).id;
    const entries = new Map((await latestEntries(ctx.db, graded.id, period)).map((e) => [e.orgId, e]));
    const branches = branchesOf(await allOrgs(ctx.db));
    const line = (name: string, e: FormEntry | undefined) => {
      if (!e) return `- ${name}：未开始`;
      const r = e.result ?? {};
      const detail =
        e.status === 'reviewed'
          ? `，最后得分 ${String(r.final)}，${String(r.grade)}`
          : e.status === 'submitted'
            ? `，自评 ${String(r.self)}`
            : '';
      return `- ${name}：${statusLabel(graded, e.status)}${detail}`;
    };
    // Each branch that has submitted gets a button: its review, for whoever reviews it; else its sheet.
    const buttons: NonNullable<Card['buttons']> = [];
    for (const b of branches) {
      const e = entries.get(b.id);
      if (!e || e.status === 'draft' || e.status === 'superseded') continue;
      const reviews = e.status === 'submitted' && (await reviewsFor(ctx, e));
      buttons.push(
        reviews
          ? { action: `selfcheck.review:${e.id}`, label: `考评 ${b.name}`, style: 'primary' }
          : { action: `selfcheck.view:${e.id}`, label: `查看 ${b.name}` },
      );
    }
    const card: Card = {
      title: `${graded.title} · ${period}`,
      body: branches.map((b) => line(b.name, entries.get(b.id))).join('\n') || '还没有支部。',
      ...(buttons.length > 0 ? { buttons } : {}),
      status: `${[...entries.values()].filter((e) => e.status === 'reviewed').length}/${branches.length} 已定级`,
    };
    return [{ type: 'card', card }];
  }

  /** True when the sender reviews this branch's entries (its superior's 书记, or the admins standing in). */
  async function reviewsFor(ctx: Context, entry: FormEntry): Promise<boolean> {
    return (await superiorLeadersOf(ctx.db, entry.orgId)).some((m) => m.id === ctx.member?.id);
  }

  /** `考评`: the reviews waiting for the sender, each a button back to its review card. */
  async function pendingReviews(ctx: Context): Promise<Output[]> {
    const waiting: FormEntry[] = [];
    for (const form of forms.filter((f) => f.scoring))
      for (const e of await entriesWithStatus(ctx.db, form.id, 'submitted'))
        if (await reviewsFor(ctx, e)) waiting.push(e);
    if (waiting.length === 0) return say('没有等您考评的自查表。各支部提交后，考评卡片会发到这里。');
    const lines: string[] = [];
    const buttons: NonNullable<Card['buttons']> = [];
    for (const e of waiting) {
      const org = await orgById(ctx.db, e.orgId);
      const form = formOf(e.formId) as FormDefinition;
      const name = org?.name ?? e.orgId;
      const began = Object.keys(e.review ?? {}).length > 0 ? '，已考评一部分' : '';
      lines.push(
        `- ${name}：${form.title}（${e.period}，第 ${e.version} 版），自评 ${String(e.result?.self ?? '—')} 分，${shanghaiDate(e.submittedAt ?? e.updatedAt)} 提交${began}`,
      );
      buttons.push({ action: `selfcheck.review:${e.id}`, label: `考评 ${name}`, style: 'primary' });
    }
    return [{ type: 'card', card: { title: '待考评', body: lines.join('\n'), buttons } }];
  }

  return {
    name: 'selfcheck',
    commands: [
      {
        name: '自查',
        usage: '自查',
        summary: '填写自查表（分类定级评分、调查摸底表、整改表）',
        match: /^自查$/,
        roles: ['书记', '支委委员'],
        chat: 'direct',
        run: (ctx) => menu(ctx),
      },
      {
        name: '考评',
        usage: '考评',
        summary: '打开等您考评的自查表（上级党组织书记、管理员）',
        match: /^(?:考评|待考评)$/,
        roles: ['书记', '管理员'],
        chat: 'direct',
        run: (ctx) => pendingReviews(ctx),
      },
      {
        name: '自查情况',
        usage: '自查情况',
        summary: '各支部分类定级自查和考评情况（管理员）',
        match: /^自查情况$/,
        roles: ['管理员'],
        run: (ctx) => overview(ctx),
      },
    ],
    actions: {
      review: async (ctx, click) => {
        const c = await clicked(ctx, `${click.arg ?? ''}:r0`);
        if (typeof c === 'string') return say(c);
        return [{ type: 'card', card: page(ctx, c.form, c.entry, 'r', 0) }];
      },
      view: async (ctx, click) => {
        const entry = await entryById(ctx.db, click.arg ?? '');
        const form = formOf(entry?.formId);
        if (!entry || !form) return say('找不到这份表。');
        const mayRead =
          hasRole(ctx.member, '管理员') ||
          (await reviewsFor(ctx, entry)) ||
          (await fillersOf(ctx.db, entry.orgId)).some((m) => m.id === ctx.member?.id);
        if (!mayRead) return say('只有本支部、上级党组织的书记或管理员可以查看这份表。');
        return [{ type: 'card', card: resultCard(form, entry, false) }];
      },
      open: async (ctx, click) => {
        const form = formOf(click.arg);
        return form ? open(ctx, form) : say('没有这张表。');
      },
      next: async (ctx, click) => {
        const c = await clicked(ctx, click.arg);
        if (typeof c === 'string' || c.index === 'all') return say(typeof c === 'string' ? c : '这张卡片已失效。');
        const saved = await savePage(ctx, c, click.values);
        if (!saved.ok) return say(saved.message);
        const pages = pagesOf(c.form, ctx.formItemsPerCard);
        const values = c.mode === 's' ? saved.entry.answers : { ...saved.entry.answers, ...(saved.entry.review ?? {}) };
        const empty = (pages[c.index]?.items ?? []).filter((i) => i.required && !values[i.id]);
        if (empty.length > 0) return say(`请先填写：${empty.map(labelOf).join('、')}。`);
        return [turn(click.card, page(ctx, c.form, saved.entry, c.mode, c.index + 1))];
      },
      prev: async (ctx, click) => {
        const c = await clicked(ctx, click.arg);
        if (typeof c === 'string' || c.index === 'all') return say(typeof c === 'string' ? c : '这张卡片已失效。');
        const saved = await savePage(ctx, c, click.values);
        if (!saved.ok) return say(saved.message);
        return [turn(click.card, page(ctx, c.form, saved.entry, c.mode, c.index - 1))];
      },
      save: async (ctx, click) => {
        const c = await clicked(ctx, click.arg);
        if (typeof c === 'string') return say(c);
        const saved = await savePage(ctx, c, click.values);
        if (!saved.ok) return say(saved.message);
        const again = c.mode === 's' ? '发“自查”可接着填写' : '点卡片上的按钮可接着考评';
        return [closed(click.card, `已暂存 · ${click.card.status ?? ''}`), ...say(`已暂存，${again}。`)];
      },
      submit: async (ctx, click) => {
        const c = await clicked(ctx, click.arg);
        if (typeof c === 'string') return say(c);
        const saved = await savePage(ctx, c, click.values);
        if (!saved.ok) return say(saved.message);
        const outputs =
          c.mode === 's' ? await submit(ctx, c.form, saved.entry) : await finishReview(ctx, c.form, saved.entry);
        const done = outputs.some((o) => o.type === 'card');
        return done ? [closed(click.card, c.mode === 's' ? '已提交' : '已考评'), ...outputs] : outputs;
      },
      accept: async (ctx, click) => {
        const c = await clicked(ctx, `${click.arg ?? ''}:r0`);
        if (typeof c === 'string') return say(c);
        const outputs = await finishReview(ctx, c.form, c.entry);
        return [closed(click.card, '已考评（全部采纳自评）'), ...outputs];
      },
      sections: async (ctx, click) => {
        const c = await clicked(ctx, `${click.arg ?? ''}:r0`);
        if (typeof c === 'string') return say(c);
        return [turn(click.card, sectionReviewCard(c.form, c.entry))];
      },
      sectionsubmit: async (ctx, click) => {
        const c = await clicked(ctx, `${click.arg ?? ''}:r0`);
        if (typeof c === 'string') return say(c);
        const checked = checkSectionPoints(c.form, c.entry, click.values);
        if (!checked.ok) return say(checked.message);
        const outputs = await finishReview(ctx, c.form, c.entry, sectionReviewResult(c.form, c.entry, checked.points));
        return [closed(click.card, '已考评（按部分打分）'), ...outputs];
      },
      amend: async (ctx, click) => {
        const entry = await entryById(ctx.db, click.arg ?? '');
        const form = formOf(entry?.formId);
        if (!entry || !form) return say('这张卡片已失效，请发“自查”重新打开。');
        if (!(await fillersOf(ctx.db, entry.orgId)).some((m) => m.id === ctx.member?.id))
          return say(`只有本支部的书记（或支委委员代填）可以更正${form.title}。`);
        const latest = await latestEntry(ctx.db, form.id, entry.orgId, entry.period);
        const draft =
          latest?.status === 'draft'
            ? latest
            : await startDraft(ctx.db, {
                formId: form.id,
                orgId: entry.orgId,
                period: entry.period,
                answers: entry.answers,
                by: ctx.member?.id ?? '',
                now: ctx.now.getTime(),
              });
        // A version still waiting for its review (or its 整改 completion) is replaced, not kept alive:
        // its review card stops working and its reminders stop. A reviewed one stays as it was.
        const by = ctx.member?.id ?? '';
        await advanceEntry(ctx.db, entry.id, 'submitted', 'superseded', {
          by,
          now: ctx.now.getTime(),
          result: entry.result ?? {},
        });
        await ctx.audit('selfcheck.amend', draft.id, { from: entry.id, version: draft.version });
        return [
          ...say(`第 ${draft.version} 版可以修改了（第 ${entry.version} 版保留不变），改好后重新提交。`),
          { type: 'card', card: page(ctx, form, draft, 's', 0) },
        ];
      },
      done: async (ctx, click) => {
        const entry = await entryById(ctx.db, click.arg ?? '');
        const form = formOf(entry?.formId);
        if (!entry || !form) return say('这张卡片已失效。');
        if (!(await fillersOf(ctx.db, entry.orgId)).some((m) => m.id === ctx.member?.id))
          return say('只有本支部的书记（或支委委员）可以确认整改完成。');
        const result = { ...(entry.result ?? {}), completedOn: shanghaiDate(ctx.now.getTime()) };
        const by = ctx.member?.id ?? '';
        if (!(await advanceEntry(ctx.db, entry.id, 'submitted', 'done', { by, now: ctx.now.getTime(), result })))
          return say('这份整改表已经确认完成了。');
        await ctx.audit('selfcheck.rectified', entry.id, result);
        return [closed(click.card, `已完成整改 · ${result.completedOn}`), ...say('已记录整改完成。')];
      },
    },
  };
}
