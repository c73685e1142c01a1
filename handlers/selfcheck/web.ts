// The long-form alternative to the cards: a signed, short-lived link to a page holding the whole
// form. The page is one more card (all items, 提交 / 暂存) stored like any other, so its posts go
// through the core as clicks: the same checks, the same draft, the same submission.

import type { PlatformId } from '../../cards/message';
import type { Card } from '../../cards/model';
import { type FormDefinition, itemsOf } from '../../domain/forms';
import type { FormEntry } from '../../storage/form-entries';
import { type LinkSigner, signedLink } from '../links';
import { answered, inputOf } from './pages';

export const FORM_PAGE_PATH = '/forms/fill';
/** How long a link to the form page works. */
export const FORM_LINK_TTL_MS = 2 * 3600_000;

/** A link for this person (their account on the platform they asked on) to the entry's page. */
export function formLink(links: LinkSigner, entry: FormEntry, platform: PlatformId, sender: string, now: number) {
  return signedLink(links, FORM_PAGE_PATH, { e: entry.id, p: platform, u: sender }, now + FORM_LINK_TTL_MS);
}

/** The stored card behind a person's page of an entry. */
export const webCardId = (entryId: string, sender: string) => `w_${entryId}_${sender}`.slice(0, 120);

/** The whole form as one card: each item with its full text, the section named at its first item. */
export function webCard(form: FormDefinition, entry: FormEntry): Card {
  const inputs = form.sections.flatMap((section) =>
    section.items.map((item, i) => {
      const input = inputOf(item, entry.answers[item.id]);
      const points =
        item.type === 'rate'
          ? `（${item.max}分 = ${item.max} × 满意率，填百分数）`
          : item.max
            ? `（${item.max}分）`
            : '';
      const head = i === 0 ? `【${section.title}${section.max ? ` ${section.max}分` : ''}】` : '';
      return { ...input, label: `${head}${item.text}${points}` };
    }),
  );
  const filled = itemsOf(form).filter((i) => answered(entry.answers[i.id])).length;
  return {
    title: `${form.title}（${entry.period}）`,
    body: '逐项填写，可随时“暂存”，和聊天里的卡片是同一份草稿；“提交”后不能再改。',
    inputs,
    buttons: [
      { action: `selfcheck.submit:${entry.id}:sa`, label: '提交', style: 'primary' },
      { action: `selfcheck.save:${entry.id}:sa`, label: '暂存' },
    ],
    status: `已填 ${filled}/${itemsOf(form).length} 项`,
  };
}
