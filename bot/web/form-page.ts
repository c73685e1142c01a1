// The self-check form as a web page, for a long form on a phone: the signed link names the entry
// and the person (their account on the platform they asked on). GET shows the whole form from the
// draft; POST is a press on the page's card, answered by the core like any card click. Where the
// platform can say who opened the page (its channel's pageSignIn), the opener must be that person:
// a forwarded link opens nothing; the check is remembered in a cookie for the link's lifetime.
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Output, PlatformId } from '../../cards/message';
import { renderCardHtml } from '../../cards/render/html';
import type { FormDefinition } from '../../domain/forms';
import { hmac, openLink } from '../../handlers/links';
import { FORM_PAGE_PATH, webCard, webCardId } from '../../handlers/selfcheck/web';
import { cardById, replaceCard, saveCards } from '../../storage/cards';
import { entryById } from '../../storage/form-entries';
import type { Assistant } from '../core/assistant';
import type { PageSignIn } from '../core/platform';
import { linkUrl, signInStep, signInTemplates } from './sign-in';

const EXPIRED = '链接无效或已过期，请在聊天中发“自查”重新获取。';

/** The pages this route serves, as written (no request's data): the form page and the platforms' sign-in pages. */
export function formPageTemplates(signIn?: Partial<Record<PlatformId, PageSignIn>>): string[] {
  return [renderCardHtml({ title: '' }, { action: '' }), ...signInTemplates(signIn)];
}

const COOKIE = 'zhibu_form';

export function formPageRoutes(deps: {
  assistant: Assistant;
  forms: readonly FormDefinition[];
  secret: string;
  /** Every platform registered: a link names one of them. */
  platforms: readonly PlatformId[];
  /** By platform: who opened the page, where the platform can tell. */
  signIn?: Partial<Record<PlatformId, PageSignIn>>;
  /** The page is served over https (ZHIBU_PUBLIC_URL): the sign-in cookie travels over https only. */
  secureCookie?: boolean;
}): Hono {
  const app = new Hono();
  const { assistant } = deps;

  const proof = (entryId: string, sender: string) => hmac(deps.secret, `form-opener:${entryId}:${sender}`);
  /** Where the page's form posts: the link itself, relative (the server may sit behind a proxy). */
  const here = (c: Context) => {
    const u = new URL(c.req.url);
    return `${u.pathname}${u.search}`;
  };

  /** The link's entry and person, or null when it is forged or expired. */
  async function opened(url: string) {
    const link = await openLink(deps.secret, FORM_PAGE_PATH, linkUrl(url).searchParams, assistant.now().getTime());
    const platform = link?.p;
    if (!link?.e || !link.u || !platform || !deps.platforms.includes(platform)) return null;
    const entry = await entryById(assistant.db, link.e);
    const form = deps.forms.find((f) => f.id === entry?.formId);
    return entry && form ? { entry, form, platform, sender: link.u, expires: Number(link.exp) } : null;
  }

  /** Whether the opener has shown (now or earlier, by the cookie) to be the link's person. */
  async function signedIn(c: Context, link: NonNullable<Awaited<ReturnType<typeof opened>>>): Promise<boolean> {
    if (!deps.signIn?.[link.platform]) return true;
    return getCookie(c, COOKIE) === (await proof(link.entry.id, link.sender));
  }

  /** The page's card as stored now (the draft may have moved on in the chat since the last view). */
  async function page(link: NonNullable<Awaited<ReturnType<typeof opened>>>, notices: string[], action: string) {
    const id = webCardId(link.entry.id, link.sender);
    const entry = (await entryById(assistant.db, link.entry.id)) ?? link.entry;
    if (entry.status !== 'draft')
      return renderCardHtml({ title: webCard(link.form, entry).title }, { action, notices });
    const card = { ...webCard(link.form, entry), id };
    const now = assistant.now().getTime();
    if (await cardById(assistant.db, id)) await replaceCard(assistant.db, id, card, now);
    else
      await saveCards(
        assistant.db,
        [{ id, platform: link.platform, chatKind: 'direct', chatId: link.sender, card }],
        now,
      );
    return renderCardHtml(card, { action, notices });
  }

  app.get(FORM_PAGE_PATH, async (c) => {
    const l = await opened(c.req.url);
    if (!l) return c.text(EXPIRED, 403);
    const signIn = deps.signIn?.[l.platform];
    if (signIn && !(await signedIn(c, l))) {
      const clean = linkUrl(c.req.url).toString();
      const step = await signInStep(
        c,
        signIn,
        clean,
        l.sender,
        '这个链接是发给别人的，请在聊天里发“自查”获取自己的链接。',
      );
      if (step instanceof Response) return step;
      setCookie(c, COOKIE, await proof(l.entry.id, l.sender), {
        path: FORM_PAGE_PATH,
        httpOnly: true,
        secure: deps.secureCookie === true,
        sameSite: 'Lax',
        maxAge: Math.max(1, Math.floor((l.expires - assistant.now().getTime()) / 1000)),
      });
      return c.redirect(clean);
    }
    return c.html(await page(l, [], here(c)));
  });

  app.post(FORM_PAGE_PATH, async (c) => {
    const l = await opened(c.req.url);
    if (!l) return c.text(EXPIRED, 403);
    if (!(await signedIn(c, l))) return c.text('请从聊天里的链接重新打开这一页。', 403);
    const id = webCardId(l.entry.id, l.sender);
    const stored = await cardById(assistant.db, id);
    const form = await c.req.formData().catch(() => null);
    if (!form) return c.text('请从页面上的按钮提交。', 400);
    const button = stored?.card.buttons?.[Number(form.get('button'))];
    if (!stored || !button) return c.html(await page(l, ['这一页已过期，请重新填写后再提交。'], here(c)));
    const values: Record<string, string | string[]> = {};
    for (const input of stored.card.inputs ?? []) {
      const given = form.getAll(input.name).map(String);
      if (input.kind === 'select' && input.multiple) values[input.name] = given;
      else if (given[0]) values[input.name] = given[0];
    }
    const outputs = await assistant.press({
      platform: l.platform,
      sender: l.sender,
      cardId: id,
      action: button.action,
      values,
    });
    return c.html(await page(l, outputs.flatMap(noticeOf), here(c)));
  });

  return app;
}

/** What the bot answered, as lines above the page (the page's own card is the page itself). */
function noticeOf(output: Output): string[] {
  if (output.type === 'text') return [output.text];
  if (output.type === 'card') return [`**${output.card.title}**\n${output.card.body ?? ''}`];
  return [];
}
