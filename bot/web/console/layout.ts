// The page around every console view: who is signed in, what they may open, the content.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Viewer } from './session';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV: { path: string; label: string; admin?: boolean }[] = [
  { path: '/admin', label: '总览' },
  { path: '/admin/charts', label: '图表' },
  { path: '/admin/kb', label: '知识库', admin: true },
  { path: '/admin/roster', label: '名册', admin: true },
  { path: '/admin/exports', label: '导出' },
];

export function page(v: Viewer | null, title: string, active: string, body: Html): Html {
  const nav = v
    ? html`<nav>
        ${NAV.filter((n) => !n.admin || v.admin).map(
          (n) => html`<a href="${n.path}" class="${n.path === active ? 'on' : ''}">${n.label}</a>`,
        )}
      </nav>`
    : '';
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 支部助手台账</title><link rel="stylesheet" href="/admin/assets/console.css"></head>
<body><header><span class="brand">支部助手 · 台账</span>${
    v ? html`<span class="who">${v.member.name}（${v.member.roles.join('、')}）</span>` : ''
  }</header>
${nav}<main>${body}</main></body></html>`;
}

/** A page that only says something (401, 403, a refusal). */
export function message(v: Viewer | null, title: string, text: string): Html {
  return page(v, title, '', html`<h1>${title}</h1><p>${text}</p>`);
}

/** The hidden field every form posts: the session's CSRF token. */
export const csrfField = (v: Viewer) => raw(`<input type="hidden" name="_csrf" value="${v.csrf}">`);
