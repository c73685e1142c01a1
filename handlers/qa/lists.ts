// How well a passage lists what a list question asks for (哪几块, 哪些): its items stand in one
// clause, side by side (课堂、教材、学术活动…等6块阵地; 对工作纪律、项目推进、教育扶贫…的日常监督). Such a
// clause seldom repeats the question's words, so BM25 and coverage rank a passage that only names
// the subject (a heading, a lead sentence) above it: this is the retrieval view that sees it.
import type { KbPassage } from '../../storage/kb';
import type { Question } from './question';
import { covers, flat, type Weighted } from './retrieve';
import { sentencesOf } from './sentences';

/** The counter a list question counts by (哪几块 → 块), '' for 哪些. */
const COUNTER = /哪[几一二三四五六七八九十两]+([个块项类种条方面]+)/;

/** A question asking for several things (哪几块, 哪些), not for one of them (属于哪一档). */
const SEVERAL = /哪些|哪几|哪[二三四五六七八九十两]|几个方面|都有(哪|什么|啥)/;

/** A clause of items side by side (部署会、推进会: two are a list too). */
const ITEMS = /、/;

/**
 * The most a clause of the passage that lists items holds of the question (its concepts, by
 * weight), more when it counts them by the counter asked (6块阵地 for 哪几块): 0 when no clause
 * lists items.
 */
export function listsAsked(q: Question, weighted: Weighted[]): ((passage: KbPassage) => number) | null {
  if (!SEVERAL.test(q.text)) return null;
  const counter = q.text.match(COUNTER)?.[1];
  // Counted as the question counts them, of a thing it names (6块阵地, not 一块牌子).
  const things = weighted.flatMap((w) => w.concept.forms.map((f) => escapeRegExp(flat(f))));
  const counted =
    counter && things.length > 0 ? new RegExp(`(\\d+|[一二三四五六七八九十两]+)${counter}(${things.join('|')})`) : null;
  const held = (text: string) => weighted.reduce((n, w) => n + w.weight * covers(text, w.concept), 0);
  // The kind of thing counted, when short (哪几种“力”, 哪几个“化”): items each ending in it
  // (政治统领力、组织战斗力) are the ones asked, whatever the question's other words.
  const kind = kindCounted(q.text);
  const ofKind = (items: string) =>
    kind !== undefined &&
    items.split('、').filter((item) => item.length > kind.length && item.endsWith(kind)).length >= 2;
  return (passage) => {
    let best = 0;
    for (const sentence of sentencesOf(passage.text, passage.kind)) {
      const clauses = flat(sentence).split(/[，,；;。：:]/);
      for (const [i, items] of clauses.entries()) {
        if (!ITEMS.test(items)) continue;
        // What the items are of may stand in the clause before (完善党务公开制度，保障党员的知情权、参与权…).
        const clause = `${clauses[i - 1] ?? ''}${items}`;
        // Two of the question's words, or the thing it counts: one word alone (通过, 推动) is any clause's.
        const counts = (counted?.test(clause) ?? false) || ofKind(items);
        if (!counts && weighted.filter((w) => covers(clause, w.concept) > 0).length < 2) continue;
        best = Math.max(best, held(clause) + (counts ? COUNTED : 0));
      }
    }
    return best;
  };
}

/** The kind of thing a list question counts, when short (力 of 哪几种“力”), or undefined. */
export function kindCounted(text: string): string | undefined {
  return text.match(KIND_COUNTED)?.[1];
}

/** 哪几种“力”: a counter, then a one- or two-character kind, the end of the question. */
const KIND_COUNTED =
  /哪[几一二三四五六七八九十两]+[个块项类种条]\s*[“"‘']?([\u4e00-\u9fff]{1,2})[”"’']?\s*(?:[？?。！!]|$)/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What counting the items by the counter asked adds: about a rare concept's weight. */
const COUNTED = 3;
