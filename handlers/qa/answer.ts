// From retrieved passages to a short answer with citations, extractively: the sentences that
// hold what the question asks for (sentences.ts), a line per document when they are compared
// (compare.ts), steps section by section. Where no sentence answers, the bot says the documents
// do not cover it and names the closest topic they do cover.
import type { KbPassage } from '../../storage/kb';
import { type Answer, citationOf, docLabel, maskPrivate } from './citation';
import { compare, differing, docLine } from './compare';
import type { Question } from './question';
import { flat, type Hit, STEP_SECTION, type Weighted } from './retrieve';
import { aboutAForm, expanded, type Sentence, sentencesAbout, sentencesOf } from './sentences';

/** A passage in a section of steps (步骤安排) answers a question for steps from this share. */
const STEPS_MIN_COVERAGE = 0.45;
/** A passage must cover this share of the question (weighted by rarity) to answer it… */
const MIN_COVERAGE = 0.6;
/** …and the answering sentence itself this share, so that the answer is about what was asked. */
const MIN_SENTENCE = 0.45;

export function compose(q: Question, hits: Hit[], weighted: Weighted[]): Answer {
  const formsAllowed = aboutAForm(q.text);
  const top = hits
    .slice(0, 10)
    .filter((h) => h.coverage >= MIN_COVERAGE && (h.passage.kind !== 'form' || formsAllowed));
  // Steps asked for, and one of the best passages (those whose neighbours were read) is in the
  // section that lays them out: its sub-sections. (The section is itself evidence of what was
  // asked: a lower share of the question will do.)
  const lead = q.needs.includes('steps')
    ? hits.find((h) => h.near && h.coverage >= STEPS_MIN_COVERAGE && STEP_SECTION.test(h.passage.section))
    : undefined;
  if (lead) {
    const family = sectionFamily(lead);
    if (family.length >= 2) return stepsAnswer(lead, family, hits);
  }
  const scored = sentencesAbout(q, top, weighted, { needs: true, minSentence: MIN_SENTENCE });
  // The user named a place: when its documents answer, the others do not.
  const ofNamed = scored.some((s) => s.hit.named === true);
  const good = scored.filter((s) => !ofNamed || s.hit.named !== false).sort((a, b) => b.score - a.score);
  if (good.length > 0 && isBareTopic(q)) return topicOverview(q, good);
  if (q.comparison) {
    const compared = compare(q, hits, weighted, good);
    if (compared) return compared;
  }

  if (good.length === 0) {
    if (q.needs.includes('definition') && q.term) return onlyUsed(q, hits);
    return refusal(q, hits);
  }

  const best = good[0] as Sentence;
  // Documents that rule differently on a number or a frequency: each one's rule.
  const perDoc = new Map<string, Sentence>();
  for (const s of good) if (!perDoc.has(s.hit.doc.id)) perDoc.set(s.hit.doc.id, s);
  const rivals = [...perDoc.values()].filter((s) => s.score >= best.score * 0.85).slice(0, 4);
  if (rivals.length >= 2 && q.needs.some((n) => n === 'frequency' || n === 'number')) {
    return differing(rivals.map((s) => ({ doc: s.hit.doc, line: docLine(s, good), hit: s.hit })));
  }

  const sentences = sentencesOf(best.hit.passage.text, best.hit.passage.kind);
  let text = expanded(best, sentences);
  // Steps, or list items that are numbered sections of their own (一是…二是…): each in order.
  const ordinal = q.needs.includes('list') && ORDINAL_SECTION.test(lastPart(best.hit.passage.section));
  const family = q.needs.includes('steps') || ordinal ? sectionFamily(best.hit) : [];
  if (family.length >= 2) return stepsAnswer(best.hit, family, hits);
  // A list that a table spreads over rows, or steps spread over sections: gather the siblings.
  if (q.needs.includes('list') && /^(\S{0,12}\d+分：)?\d+[．.]/.test(best.hit.passage.text)) {
    const rows = hits.filter((h) => h.doc.id === best.hit.doc.id && h.passage.section === best.hit.passage.section);
    text = rows
      .sort((a, b) => a.passage.ord - b.passage.ord)
      .map((h) => h.passage.text)
      .join('\n');
  }
  const citations = [best.hit];
  for (const s of good) {
    if (citations.length >= 3) break;
    if (!citations.includes(s.hit) && s.hit.doc.id === best.hit.doc.id && s.score >= best.score * 0.9) {
      citations.push(s.hit);
      if (q.needs.includes('list') || q.needs.includes('steps'))
        text += `\n${expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind))}`;
    }
  }
  return {
    found: true,
    answer: maskPrivate(`${text}（${docLabel(best.hit.doc)}）`),
    citations: citations.map(citationOf),
  };
}

const ORDINAL_SECTION = /^([一二三四五六七八九十]+是|\([一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）)/;
const lastPart = (section: string) => section.slice(section.lastIndexOf(' ') + 1);

/** Steps or items that are sections of their own: the opening of each, in order. */
function stepsAnswer(hit: Hit, family: KbPassage[], hits: Hit[]): Answer {
  // A section's introduction is not one of its steps.
  const steps = family.filter((p) => STEP_START.test(p.text));
  const shown = steps.length >= 2 ? steps : family;
  return {
    found: true,
    answer: maskPrivate(`${shown.map(opening).join('\n')}（${docLabel(hit.doc)}）`),
    citations: [hit, ...hits.filter((h) => h !== hit && family.includes(h.passage))].slice(0, 3).map(citationOf),
  };
}

/**
 * The sections that are siblings of the best hit's (the same parent, each its own numbered
 * heading), when the question asks for steps or items: 第一阶段… 第二阶段…, （一）… （二）….
 */
function sectionFamily(hit: Hit): KbPassage[] {
  const near = hit.near ?? [];
  const section = hit.passage.section;
  const parent = section.includes(' ') ? section.slice(0, section.lastIndexOf(' ')) : section.match(/^\S+?、/)?.[0];
  if (!parent) return [];
  const kin = near.filter((p) => p.section === section || (p.section.startsWith(parent) && p.section !== parent));
  // One passage per section: the first.
  const firsts = kin.filter((p, i) => kin.findIndex((q) => q.section === p.section) === i);
  if (firsts.length >= 2) return firsts.slice(0, 8);
  // Or several passages of one section (the stages of 四、步骤安排).
  return kin.length >= 2 ? kin.slice(0, 6) : [];
}

/** What a step's passage says at the start of each step it holds (a passage may hold two). */
function opening(p: KbPassage): string {
  const all = sentencesOf(p.text, p.kind);
  const starts = all.flatMap((s, i) => (STEP_START.test(s) || i === 0 ? [i] : []));
  return starts
    .map((i) => {
      const first = all[i] as string;
      const text = first.length < 24 ? first + (all[i + 1] ?? '') : first;
      return text.length > 90 ? `${text.slice(0, 90)}…` : text;
    })
    .join('\n');
}

const STEP_START = /^(第[一二三四五六七八九十]+(阶段|步)|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+是)/;

/** A bare phrase such as `三会一课?`: what each document requires about it. */
function isBareTopic(q: Question): boolean {
  return q.needs.length === 0 && q.concepts.length <= 2 && q.text.replace(/[?？!！。，,\s]/g, '').length <= 8;
}

function topicOverview(q: Question, good: Sentence[]): Answer {
  const perDoc = new Map<string, Sentence>();
  for (const s of good) if (!perDoc.has(s.hit.doc.id)) perDoc.set(s.hit.doc.id, s);
  const picked = [...perDoc.values()].slice(0, 3);
  const subject = q.concepts[0]?.word ?? q.text;
  const lines = picked.map(
    (s) => `- ${docLabel(s.hit.doc)}：${expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind))}`,
  );
  return {
    found: true,
    answer: maskPrivate(`文件中关于“${subject}”的要求：\n${lines.join('\n')}`),
    citations: picked.map((s) => citationOf(s.hit)),
  };
}

/**
 * The documents use a term without defining it: the answer says so, and gives what they say
 * about it (never a textbook definition from elsewhere).
 */
function onlyUsed(q: Question, hits: Hit[]): Answer {
  const term = q.term as string;
  const requirement = (h: Hit) => {
    const all = sentencesOf(h.passage.text, h.passage.kind);
    const index = Math.max(
      0,
      all.findIndex((s) => flat(s).includes(flat(term))),
    );
    // With the sentences after it: a document often describes a thing right after naming it.
    const sentence = expanded({ hit: h, text: all[index] ?? h.passage.text, index, score: 0 }, all);
    return { hit: h, sentence, required: /落实|履行|执行|坚持|完善|规范|健全|严格|要/.test(sentence) };
  };
  // One passage per document, those that say what is required first.
  const perDoc = new Map<string, ReturnType<typeof requirement>>();
  for (const h of hits) {
    if (!flat(h.passage.text).includes(flat(term)) || h.coverage < 0.7) continue;
    const r = requirement(h);
    const had = perDoc.get(h.doc.id);
    if (!had || (r.required && !had.required)) perDoc.set(h.doc.id, r);
  }
  const chosen = [...perDoc.values()].sort((a, b) => Number(b.required) - Number(a.required)).slice(0, 3);
  const using = chosen.map((c) => c.hit);
  if (using.length === 0) return refusal(q, hits);
  const lines = chosen.map((c) => `- ${docLabel(c.hit.doc)}：${c.sentence}`);
  // What the documents say about it is the answer they give; the member is told it is no definition.
  return {
    found: true,
    answer: maskPrivate(`已载入的文件没有给“${term}”下定义，文件中关于它的规定是：\n${lines.join('\n')}`),
    citations: using.map(citationOf),
  };
}

function refusal(q: Question, hits: Hit[]): Answer {
  const closest = hits[0];
  const near = closest
    ? `相近的内容是《${closest.doc.title}》${closest.passage.section ? `“${closest.passage.section}”` : ''}。`
    : '';
  const what = q.needs.includes('definition') ? '这个说法的定义' : '这个问题的规定';
  return {
    found: false,
    answer: `已载入的文件中没有找到${what}，我不能凭空回答。${near}如需了解，请咨询上级党组织或查阅相关党内法规。`,
    citations: [],
  };
}
