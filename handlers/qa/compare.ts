// The user compares documents, or documents differ on a number: a line for each document, its
// rule on the subject as it states it, labelled by issuer.
import type { KbDocument } from '../../storage/kb';
import { type Answer, citationOf, docLabel, maskPrivate } from './citation';
import type { Question } from './question';
import type { Hit, Weighted } from './retrieve';
import { ANSWER_SOFT_MAX, aboutAForm, candidates, expanded, type Sentence, sentencesOf } from './sentences';

/**
 * The user compares documents: a line for each, its best sentence on the subject (one that also
 * holds what was asked first). The places the user names are the ones compared (one of them
 * silent is said so); otherwise every document that speaks of it. Null when fewer than two do.
 */
export function compare(
  q: Question,
  hits: Hit[],
  weighted: Weighted[],
  subject: Weighted[],
  topic: Weighted[],
): Answer | null {
  const named = hits.some((h) => h.named === true);
  const docs = [
    ...new Map(hits.filter((h) => (named ? h.named === true : true)).map((h) => [h.doc.id, h.doc])).values(),
  ];
  const lines: { doc: KbDocument; line: string; hit?: Hit }[] = [];
  for (const doc of docs) {
    // Its best passages, and of their sentences those that speak of the subject.
    const near = hits.filter((h) => h.doc.id === doc.id && (h.passage.kind !== 'form' || aboutAForm(q.text)));
    const ranked = candidates(q, near.slice(0, 6), weighted, subject, topic)
      .filter((s) => s.topical)
      .map((s) => ({ ...s, score: s.score + (s.gives ? ASKED_BONUS : 0) }))
      .sort((a, b) => b.score - a.score);
    const best = ranked[0];
    if (best) lines.push({ doc, line: docLine(best, ranked), hit: best.hit });
    else if (named) lines.push({ doc, line: '未找到相关规定。' });
  }
  const said = lines.filter((l) => l.hit);
  if (said.length < 2) return null;
  // Those that answer first; at most four documents.
  return differing([...said, ...lines.filter((l) => !l.hit)].slice(0, 4));
}

/** A document's line in a comparison, at most (its rule is near its start; a longer line only fills the chat). */
const COMPARE_LINE_MAX = 330;

export function differing(lines: { doc: KbDocument; line: string; hit?: Hit }[]): Answer {
  const cut = (s: string) => (s.length > COMPARE_LINE_MAX ? `${s.slice(0, COMPARE_LINE_MAX)}…` : s);
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`各文件的规定不同：\n${lines.map((l) => `- ${docLabel(l.doc)}：${cut(l.line)}`).join('\n')}`),
    citations: lines.flatMap((l) => (l.hit ? [citationOf(l.hit, cut(l.line))] : [])),
  };
}

/**
 * A document's line in a comparison: its best sentence, and its next best from other passages
 * when they are nearly as good (a document often rules on a topic in more than one place).
 */
export function docLine(best: Sentence, good: Sentence[]): string {
  const others: Sentence[] = [];
  for (const s of good) {
    if (others.length >= MORE_PLACES) break;
    // (Another sentence of the same passage may be the other half of the rule.)
    const same = (o: Sentence) => o.hit === s.hit && o.index === s.index;
    const seen = same(best) || others.some(same);
    if (!seen && s.hit.doc.id === best.hit.doc.id && s.score >= best.score * SECOND_SHARE) others.push(s);
  }
  // Several places share the line: each is kept short.
  const soft = others.length ? COMPARE_SENTENCE_MAX : ANSWER_SOFT_MAX;
  let line = '';
  for (const s of [best, ...others]) {
    const text = expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind), soft);
    if (!line.includes(text)) line += text;
  }
  return line;
}

/** Places in a document quoted besides its best. */
const MORE_PLACES = 2;
/** A second place in a document is quoted when its sentence scores this share of the first's. */
const SECOND_SHARE = 0.7;
/** In a comparison, a sentence that also holds what was asked (a number, a time) ranks this higher. */
const ASKED_BONUS = 0.3;
/** Each sentence on a document's line in a comparison quoting several places, at most about. */
const COMPARE_SENTENCE_MAX = 110;
