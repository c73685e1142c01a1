// From retrieved passages to an answer of one of three kinds, decided by what was asked:
// - direct: a sentence gives what was asked (a number in its unit, a frequency, a time, who, a
//   list, the steps) about the very subject asked, for the place and year asked;
// - related: the documents speak of the subject but give not exactly that: said so, and the
//   closest rules quoted as such (never a figure of another rule passed off as the answer);
// - none: the documents do not speak of it: said so, with the closest topic named.
import type { KbPassage } from '../../storage/kb';
import { handInLine, handInParts, handInWord, notSet } from './asked';
import { type Answer, type Citation, citationOf, docLabel, maskPrivate } from './citation';
import { compare, differing, docLine } from './compare';
import { ADDRESSEE, documentFactsAsked } from './document-facts';
import { parallelAsked, spellsOut } from './parallel';
import type { Question } from './question';
import { flat, type Hit, STEP_SECTION, type Weighted } from './retrieve';
import {
  aboutAForm,
  type Candidate,
  candidates,
  definitionOf,
  expanded,
  givesNeeds,
  type Sentence,
  STAGE,
  sentencesOf,
  trimmed,
} from './sentences';

/** What the knowledge base found for one question. */
export interface Found {
  q: Question;
  /** Retrieved passages, best first. */
  hits: Hit[];
  /** The concepts of the question as searched (with what was said before it). */
  weighted: Weighted[];
  /** The concepts a direct answer must be about: those of the question itself, not of the member's situation. */
  subject: Weighted[];
  /** The specific concepts the documents use of the question and what was said before it: what it is on. */
  topic: Weighted[];
  /** Places named that no loaded document is from (兴庆区). */
  otherPlaces: string[];
  /** The question is the whole message (not one of several in it). */
  whole: boolean;
  /** The question's own words, without what was said before it. */
  own: string;
  /** The subject with what the member reported before the question (not their own situation): what related rules are ranked by. */
  broad: Weighted[];
  /** The message asks how, where or by when to hand in: the best document's passages saying by what day and where. */
  handIn: Hit[];
  /** What the member reported that the question asks whether the subject follows (退休金 of 党费是不是也要跟着调). */
  along?: Weighted[];
}

/** The passages whose sentences may answer. */
const TOP = 8;
/** A passage in a section of steps (步骤安排) answers a question for steps from this share. */
const STEPS_MIN_COVERAGE = 0.3;

export function compose(f: Found): Answer {
  const { q } = f;
  // A filled-in form answers only questions about the school or the form it is.
  const forms = aboutAForm(q.text);
  const hits = f.hits.filter((h) => h.passage.kind !== 'form' || forms);
  // The user named a place: its documents answer, the others only as related.
  const scoped = q.places.length ? hits.filter((h) => h.named !== false) : hits;
  // A place no document is from: nothing can be answered for it directly, nor compared with a
  // place that has one (兴庆区的要点跟金凤的有啥不一样).
  const noDocument = f.otherPlaces.length > 0 && (q.places.length === 0 || q.comparison);

  if (!noDocument) {
    const steps = stepsAsked(q, scoped, f.subject);
    if (steps) return steps;
  }
  // Documents compared (分别是啥 asks what each says, not what a word means).
  if (q.comparison && !noDocument) {
    const compared = compare(f, hits);
    if (compared) return compared;
  }

  // The members of a term the documents name (“五个到群众中去”具体是哪五个), or a term asked of with
  // nothing else asked for (三亮三比一争优，亮啥比啥): where it is defined.
  if (q.term && (q.needs.includes('list') || q.needs.length === 0) && !noDocument) {
    const term = f.weighted.filter((w) => w.concept.word === q.term);
    const defined = definitionOf(q.term, scoped, term);
    if (defined) return definitionAnswer(defined);
  }
  // A term asked about (一岗双责是什么意思), or a phrase sent alone (三会一课, 联系点).
  if ((q.term && q.needs.includes('definition')) || (f.whole && isBareTopic(q))) {
    const term = termAnswer(f, scoped, noDocument);
    if (term) return term;
  }
  const found = rulesOnly(q, candidates(q, scoped.slice(0, TOP), f.weighted, f.subject, f.topic, f.broad, flat(f.own)));
  // (Asked whether the subject follows something, a sentence of the subject alone says nothing of it.)
  const along = (c: Candidate) =>
    !f.along?.length || f.along.some((w) => w.concept.forms.some((form) => flat(c.text).includes(flat(form))));
  const direct = spellingFirst(q, noDocument ? [] : found.filter((c) => c.gives && c.about && c.years && along(c)));
  const handIn = noDocument ? [] : handInSentences(f.handIn);
  if (direct.length > 0) return directAnswer(q, direct, hits, handIn, f.subject);
  // (A sentence naming all that is handed in, 5月底前…形成整改方案, is nearer than a hand-in line naming none of it.)
  const handed = f.subject.filter((w) => !handInWord(w.concept.word));
  const names = (c: Candidate) =>
    handed.every((w) => w.concept.forms.some((form) => flat(c.text).includes(flat(form))));
  if (handIn.length > 0 && !found.some((c) => !c.heading && !handInLine(c.text) && names(c)))
    return handInAnswer(handIn);

  const onTopic = rules(found.filter((c) => c.topical));
  const note = noDocument ? noPlaceNote(f.otherPlaces) : '';
  if (onTopic.length > 0) return related(f, onTopic, note);
  // The named place's documents are silent: what the others say, as theirs.
  if (q.places.length) {
    const others = rulesOnly(
      q,
      candidates(q, hits.filter((h) => h.named === false).slice(0, TOP), f.weighted, f.subject, f.topic, f.broad),
    );
    const near = rules(others.filter((c) => c.topical));
    if (near.length > 0) return related(f, near, `${q.places.join('、')}的文件中没有找到这方面的规定。`);
  }
  return refusal(q, hits, note);
}

/**
 * Asked the clauses of a verb (重点看哪几个方面, 五看是哪五看): the sentences spelling out that verb's
 * parallel clauses (看…；看…；看…) answer, not another verb's set ranked higher (一是强化…二是强化…).
 */
function spellingFirst(q: Question, direct: Candidate[]): Candidate[] {
  const asked = parallelAsked(q.text);
  const spelling = direct.filter((c) => spellsOut(asked, c.text));
  return spelling.length > 0 ? spelling : direct;
}

/** Said first when the question names places no document is from; once in a message of several questions. */
const noPlaceNote = (places: string[]) => `已载入的文件中没有${places.join('、')}的文件。`;
export const NO_PLACE_NOTE = /^已载入的文件中没有[^。\n]*的文件。/;

/**
 * Without a cover note's lines addressed to its 主送 (各教育学区党委、各中小学党组织：…现征求各单位意见…):
 * they say what the document is and where replies go, which answers only a question about the
 * document itself or about handing something in, never one about a duty or a rule.
 */
function rulesOnly(q: Question, found: Candidate[]): Candidate[] {
  if (handInParts(q.text) > 0 || documentFactsAsked(q.text).length > 0 || REPLIES.test(q.text)) return found;
  return found.filter((c) => !ADDRESSEE.test(c.text));
}

/** Asked of the comments a draft invites (提意见走啥流程, 征求意见稿怎么反馈): the cover note answers. */
const REPLIES = /意见|反馈|征求/;

const byScore = (a: { score: number }, b: { score: number }) => b.score - a.score;

/** A sentence that only announces what follows (现就…通知如下：): it states no rule. */
const ANNOUNCES = /(如下|以下)[：:]?$/;

/** Sentences that state a rule: a heading or a title names one, and is quoted only when nothing else speaks of it. */
function rules(found: Candidate[]): Candidate[] {
  found = found.filter((c) => !ANNOUNCES.test(c.text));
  const stated = found.filter((c) => !c.heading);
  return stated.length > 0 ? stated : found;
}

/** A sentence gives what was asked: it, with the sentences it needs, and more of a list or of steps. */
function directAnswer(
  q: Question,
  direct: Candidate[],
  hits: Hit[],
  handIn: HandInLine[],
  subject: Weighted[],
): Answer {
  const ranked = [...direct].sort(byScore);
  const best = ranked[0] as Candidate;
  // Documents that rule differently on a number or a frequency, none named: each one's rule.
  const perDoc = new Map<string, Candidate>();
  for (const s of ranked) if (!perDoc.has(s.hit.doc.id)) perDoc.set(s.hit.doc.id, s);
  const rivals = [...perDoc.values()].filter((s) => s.score >= best.score * 0.85).slice(0, 4);
  if (!q.places.length && rivals.length >= 2 && q.needs.some((n) => n === 'frequency' || n === 'number')) {
    return differing(rivals.map((s) => ({ doc: s.hit.doc, line: docLine(s, ranked), hit: s.hit })));
  }
  const sentences = sentencesOf(best.hit.passage.text, best.hit.passage.kind);
  let text = expanded(best, sentences, undefined, q.needs.includes('list'));
  // List items that are numbered sections of their own (一是…二是…): each in order.
  const ordinal = q.needs.includes('list') && ORDINAL_SECTION.test(lastPart(best.hit.passage.section));
  const family = q.needs.includes('steps') || ordinal ? sectionFamily(best.hit) : [];
  if (family.length >= 2) return stageAsked(q, best.hit, family, subject) ?? stepsAnswer(best.hit, family, hits);
  // A list that a table spreads over rows: the rows of its section.
  if (q.needs.includes('list') && /^(\S{0,12}\d+分：)?\d+[．.]/.test(best.hit.passage.text)) {
    const rows = hits.filter((h) => h.doc.id === best.hit.doc.id && h.passage.section === best.hit.passage.section);
    text = rows
      .sort((a, b) => a.passage.ord - b.passage.ord)
      .map((h) => h.passage.text)
      .join('\n');
  }
  const citations: Citation[] = [citationOf(best.hit, text)];
  const cited = new Set([best.hit]);
  let answer = text;
  // Asked how, where or by when to hand in: each line of the document saying by what day and where
  // that the answer does not hold yet (the reply form's 5点前…发送至邮箱 beside the cover note's 反馈至).
  for (const line of handIn) {
    if (line.hit.doc.id !== best.hit.doc.id || answer.includes(line.text)) continue;
    answer += `\n${line.text}`;
    cited.add(line.hit);
    citations.push(citationOf(line.hit, line.text));
  }
  // More of a list or of steps, in another passage of the same document.
  if (q.needs.includes('list') || q.needs.includes('steps')) {
    for (const s of ranked) {
      if (citations.length >= 3) break;
      if (cited.has(s.hit) || s.hit.doc.id !== best.hit.doc.id || s.score < best.score * 0.9) continue;
      const more = expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind));
      answer += `\n${more}`;
      cited.add(s.hit);
      citations.push(citationOf(s.hit, more));
    }
  }
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`${answer}（${docLabel(best.hit.doc)}）`),
    citations,
  };
}

/** A sentence of a document saying by what day and where something is handed in. */
interface HandInLine {
  hit: Hit;
  text: string;
}

/** The hand-in sentences of the passages, each once, in the document's order. */
function handInSentences(passages: Hit[]): HandInLine[] {
  const lines = [...passages]
    .sort((a, b) => a.passage.ord - b.passage.ord)
    .flatMap((hit) =>
      sentencesOf(hit.passage.text, hit.passage.kind)
        .filter(handInLine)
        .map((text) => ({ hit, text })),
    );
  return lines.filter((l, i) => lines.findIndex((m) => m.text === l.text) === i).slice(0, HAND_IN_MAX);
}

/** The most hand-in lines quoted (a cover note's and its reply form's). */
const HAND_IN_MAX = 3;

/** Nothing else answers, but the document says by what day and where to hand in: those lines. */
function handInAnswer(lines: HandInLine[]): Answer {
  const doc = (lines[0] as HandInLine).hit.doc;
  const shown = lines.filter((l) => l.hit.doc.id === doc.id);
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`${shown.map((l) => l.text).join('\n')}（${docLabel(doc)}）`),
    citations: shown.map((l) => citationOf(l.hit, l.text)),
  };
}

/**
 * The sentences closest to the question, said to be no exact answer: those on the very subject
 * asked first (党费, not the 民办学校 the member's situation named; 党务工作者的培训, not 思政课教师的),
 * then those that state the kind of thing asked (a number, a frequency), then the nearest.
 */
function related(f: Found, onTopic: Candidate[], note: string): Answer {
  const { q } = f;
  const ranked = onTopic
    .map((c) => ({ ...c, score: c.score + SUBJECT_WEIGHT * c.held + (givesNeeds(q, c.text) ? KIND_BONUS : 0) }))
    .sort(byScore);
  const best = ranked[0] as Candidate;
  const picked = [best];
  // Where the closest rule says nothing of how often, the nearest rule that does (定期排查廉政风险点).
  // (Never a figure: one said of another subject is no answer, 24学时 for 党务工作者.)
  const regularly = q.needs.includes('frequency') && !givesNeeds(q, best.text) && !REGULARLY.test(best.text);
  const nearest = (s: Candidate) => s.hit !== best.hit && s.held >= NEAR_HELD && REGULARLY.test(s.text);
  const second =
    (regularly && ranked.find(nearest)) || ranked.find((s) => s.hit !== best.hit && s.score >= best.score * 0.85);
  if (second) picked.push(second);
  const lists = q.needs.includes('list');
  const lines = picked.map((s) => ({
    s,
    text: expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind), undefined, lists, true),
  }));
  return {
    kind: 'related',
    found: true,
    answer: maskPrivate(
      `${note}${notSet(q, f.own, f.subject)}\n${lines.map((l) => `- ${docLabel(l.s.hit.doc)}：${l.text}`).join('\n')}`,
    ),
    citations: lines.map((l) => citationOf(l.s.hit, l.text)),
  };
}

/** How the documents say a thing is done regularly without saying how often. */
const REGULARLY = /定期|常态化|经常性?|不定期|长期坚持/;
/** A rule of the nearest kind is quoted when it holds this share of the subject. */
const NEAR_HELD = 0.3;

/** How much holding the subject asked outweighs covering the rest of the message. */
const SUBJECT_WEIGHT = 2;
/** A related sentence that states the kind of thing asked (a number, a frequency) ranks this higher. */
const KIND_BONUS = 0.3;

/** A short phrase sent alone, as a term answer names it. */
function bareText(q: Question): string {
  return `“${q.raw.replace(/[\s？?！!。，,；;]+/g, '')}”`;
}

/**
 * A term asked about (一岗双责是什么意思, or just 三会一课): its definition where a document gives
 * one; otherwise that none defines it, and what each document says of it (a requirement first).
 */
function termAnswer(f: Found, hits: Hit[], noDocument: boolean): Answer | null {
  const { q } = f;
  const subject = f.subject.length ? f.subject : f.topic;
  const defined = noDocument ? null : definitionOf(q.term, hits, subject);
  if (defined) return definitionAnswer(defined);
  const term = q.term ? (f.weighted.find((w) => w.concept.word === q.term) ?? null) : null;
  const about = term ? [term] : subject;
  if (about.length === 0) return null;
  const perDoc = new Map<string, Candidate>();
  const ranked = candidates(q, hits.slice(0, TERM_PASSAGES), f.weighted, about, [])
    .filter((c) => c.about)
    .map((c) => ({ ...c, score: c.score + (REQUIRES.test(c.text) ? REQUIRED_BONUS : 0) }))
    .sort(byScore);
  for (const c of ranked) if (!perDoc.has(c.hit.doc.id)) perDoc.set(c.hit.doc.id, c);
  // One document alone uses a named term: its other place too (a term is often used twice, the second time
  // with what it is for).
  const first = [...perDoc.values()][0];
  const other = perDoc.size === 1 && term ? ranked.find((c) => c.hit !== first?.hit) : undefined;
  const uses = [...perDoc.values(), ...(other ? [other] : [])].slice(0, 3);
  if (uses.length === 0) return null;
  // Each line from where it speaks of the term (…考核班子成员落实“一岗双责”…), not its long lead-in.
  const lines = uses.map((s) => ({
    s,
    text: trimmed(expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind)), term ? [term] : []),
  }));
  const what = q.term ? `没有给“${q.term}”下定义` : `没有专门解释${bareText(q)}`;
  return {
    kind: 'related',
    found: true,
    answer: maskPrivate(
      `${noDocument ? `已载入的文件中没有${f.otherPlaces.join('、')}的文件。` : ''}已载入的文件${what}，文件中关于它的规定是：\n${lines.map((l) => `- ${docLabel(l.s.hit.doc)}：${l.text}`).join('\n')}`,
    ),
    citations: lines.map((l) => citationOf(l.s.hit, l.text)),
  };
}

/** A document's definition of what was asked, as the answer. */
function definitionAnswer(defined: Sentence): Answer {
  const text = expanded(defined, sentencesOf(defined.hit.passage.text, defined.hit.passage.kind));
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`${text}（${docLabel(defined.hit.doc)}）`),
    citations: [citationOf(defined.hit, text)],
  };
}

/** The passages searched for what the documents say of a term. */
const TERM_PASSAGES = 20;
/** A requirement ranks this much above a mere mention. */
const REQUIRED_BONUS = 0.3;
/** Words that make a sentence a requirement (履行…, 要…) rather than a mention. */
const REQUIRES = /落实|履行|执行|坚持|完善|规范|健全|严格|建立|开展|要|须|应|确保/;

/** A bare phrase such as `三会一课` or `联系点?`: what the documents say about it. */
function isBareTopic(q: Question): boolean {
  return (
    q.needs.length === 0 &&
    q.concepts.length <= 2 &&
    q.text.replace(/[?？!！。，,\s]/g, '').length <= 8 &&
    // (党费怎么交 asks something of it.)
    !/怎么|如何|咋|啥|什么|吗|呢|多少|几|谁|哪/.test(q.text)
  );
}

/** Steps asked for, and one of the best passages stands in the section that lays them out: its sub-sections. */
function stepsAsked(q: Question, hits: Hit[], subject: Weighted[]): Answer | null {
  if (!q.needs.includes('steps')) return null;
  // (The section is itself evidence of what was asked: a lower share of the question will do.)
  const lead = hits
    .slice(0, STEP_HITS)
    .find(
      (h) => h.near && h.coverage >= STEPS_MIN_COVERAGE && (STEP_SECTION.test(h.passage.section) || timedStage(q, h)),
    );
  const family = lead ? sectionFamily(lead) : [];
  const stage = lead && family.length >= 2 ? stageAsked(q, lead, family, subject) : null;
  if (stage) return stage;
  const steps = lead && family.length >= 2 ? stepsAnswer(lead, family, hits) : timeline(hits.slice(0, STEP_HITS));
  // The year asked about must be one the steps name (no stage of 2025 where they end in 2024).
  return steps && q.years.every((y) => steps.answer.includes(y)) ? steps : null;
}

/** The best hits among which a section of steps is looked for. */
const STEP_HITS = 5;

/**
 * Targets dated one after another (到2022年底，…；到2025年，…；到2035年，…) in a best hit's
 * section: the timeline asked for, each target whole, in order.
 */
function timeline(hits: Hit[]): Answer | null {
  for (const hit of hits) {
    const passages = [hit.passage, ...(hit.near ?? []).filter((p) => p.section === hit.passage.section)];
    const seen = new Set<number>();
    const dated: { p: KbPassage; text: string; year: string }[] = [];
    for (const p of passages.sort((a, b) => a.ord - b.ord)) {
      if (seen.has(p.ord)) continue;
      seen.add(p.ord);
      for (const text of sentencesOf(p.text, p.kind)) {
        const year = text.match(DATED)?.[1];
        if (year && !dated.some((d) => d.year === year)) dated.push({ p, text, year });
      }
    }
    if (dated.length < 2) continue;
    const asHit = (p: KbPassage): Hit => (p.ord === hit.passage.ord ? hit : { ...hit, passage: p });
    return {
      kind: 'direct',
      found: true,
      answer: maskPrivate(`${dated.map((d) => d.text).join('\n')}（${docLabel(hit.doc)}）`),
      citations: dated.map((d) => citationOf(asHit(d.p), d.text)),
    };
  }
  return null;
}

/** A sentence that opens with the year it sets a target for (到2025年，…; 2023年底前…). */
const DATED = /^(?:到|至)?(20\d\d)年(?:底|末|前|内)?前?[，,：:]/;

const ORDINAL_SECTION = /^([一二三四五六七八九十]+是|\([一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）)/;
const lastPart = (section: string) => section.slice(section.lastIndexOf(' ') + 1);

/** Steps or items that are sections of their own: the opening of each, in order, each cited. */
/**
 * Asked how many stages and what they are (从摸底到总结分几步走), a passage that opens a stage with
 * its span (（一）调查摸底…（3月中旬—3月下旬）) under a heading of steps (二、工作方法和步骤) leads
 * them: its siblings are the others. (Asked of one stage, 调查摸底阶段调研哪些方面, it is no lead.)
 */
function timedStage(q: Question, hit: Hit): boolean {
  if (!STAGES_ASKED.test(q.text) || !STEP_SECTION.test(hit.passage.headings.join(' '))) return false;
  return SPAN.test(sentencesOf(hit.passage.text, hit.passage.kind)[0] ?? '');
}

/**
 * Asked how one stage goes and by when (整改要怎么走，有截止时间没), not what the stages are: the stage
 * whose heading names what is asked (（三）整改提高…（4月上旬—12月底）) answers with its heading and the
 * lines of it that say when (5月底前…形成整改方案; 每一项任务完成后…“回头看”). A grade the member
 * reports (自评只算一般) is their situation, not the subject, so names no stage.
 */
function stageAsked(q: Question, lead: Hit, family: KbPassage[], subject: Weighted[]): Answer | null {
  // (Asked what a stage lists, 调查摸底阶段调研哪些方面, the list answers, not when.)
  const how = q.needs.includes('time') || (q.needs.includes('steps') && !q.needs.includes('list'));
  if (!how || STAGES_ASKED.test(q.text)) return null;
  const heading = (p: KbPassage) => (sentencesOf(p.text, p.kind)[0] ?? '').match(STAGE)?.[0] ?? '';
  const names = (p: KbPassage) =>
    subject.some((w) => w.concept.forms.some((form) => flat(heading(p)).includes(flat(form))));
  const named = family.filter((p) => heading(p) && names(p));
  const stage = named.length === 1 ? named[0] : undefined;
  if (!stage) return null;
  const passages = [stage, ...(lead.near ?? []).filter((p) => p.section === stage.section && p.ord !== stage.ord)];
  // Each passage's lines as one quote (what another part quotes of the passage is then covered).
  const lines = passages
    .sort((a, b) => a.ord - b.ord)
    .map((p, at) => ({
      p,
      text: sentencesOf(p.text, p.kind)
        .filter((text, i) => (at > 0 || i > 0) && WHEN.test(text))
        .join(''),
    }))
    .filter((l) => l.text);
  if (lines.length === 0) return null;
  const asHit = (p: KbPassage): Hit => (p.ord === lead.passage.ord ? lead : { ...lead, passage: p });
  const shown = [{ p: stage, text: heading(stage) }, ...lines];
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`${shown.map((s) => s.text).join('\n')}（${docLabel(lead.doc)}）`),
    citations: shown.map((s) => citationOf(asHit(s.p), s.text)),
  };
}

/** A line of a stage that says when: a date or deadline (5月底前), or after what (每一项任务完成后). */
const WHEN = /\d+月|\d{4}年|[底末]前|之前|以前|完成后|结束后|之后/;

/** Asking the stages themselves: 分几步走, 几个阶段, 哪几个阶段, 各是啥时间段. */
const STAGES_ASKED = /几步|步走|几个?阶段|哪(些|几个?)阶段|时间段/;
/** A time span in brackets: （3月中旬—3月下旬）, （6月底—12月底）, （2023年）. */
const SPAN = /[（(][^）)]*\d+(月|年)[^）)]*[）)]/;

function stepsAnswer(hit: Hit, family: KbPassage[], hits: Hit[]): Answer {
  // A section's introduction is not one of its steps.
  const steps = family.filter((p) => STEP_START.test(p.text));
  const shown = (steps.length >= 2 ? steps : family).map((p) => ({ p, text: opening(p) }));
  const asHit = (p: KbPassage): Hit =>
    hits.find((h) => h.doc.id === hit.doc.id && h.passage.ord === p.ord) ?? { ...hit, passage: p };
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`${shown.map((s) => s.text).join('\n')}（${docLabel(hit.doc)}）`),
    citations: shown.map((s) => citationOf(asHit(s.p), s.text)),
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

/**
 * What a step's passage says at the start of each step it holds (a passage may hold two): its
 * label and first sentence (第一阶段（2022年）：宣传发动。通过…), cut at a clause when long.
 */
function opening(p: KbPassage): string {
  const all = sentencesOf(p.text, p.kind);
  const starts = all.flatMap((s, i) => (STEP_START.test(s) || i === 0 ? [i] : []));
  return starts
    .map((i) => {
      const first = all[i] as string;
      return clip(first.length < 24 ? first + (all[i + 1] ?? '') : first, STEP_MAX);
    })
    .join('\n');
}

/** A step as shown, at most about. */
const STEP_MAX = 100;

/** The text up to the last clause that ends within `max` characters (…), or whole when short. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = Math.max(text.lastIndexOf('，', max), text.lastIndexOf('；', max), text.lastIndexOf('。', max));
  return cut > max / 2 ? `${text.slice(0, cut)}…` : `${text.slice(0, max)}…`;
}

const STEP_START = /^(第[一二三四五六七八九十]+(阶段|步)|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+是)/;

function refusal(q: Question, hits: Hit[], note: string): Answer {
  const closest = hits[0];
  const near = closest
    ? `相近的内容是《${closest.doc.title}》${closest.passage.section ? `“${closest.passage.section}”` : ''}。`
    : '';
  const what = q.needs.includes('definition') ? '这个说法的定义' : '这个问题的规定';
  return {
    kind: 'none',
    found: false,
    answer: `${note}已载入的文件中没有找到${what}，我不能凭空回答。${near}如需了解，请咨询上级党组织或查阅相关党内法规。`,
    citations: [],
  };
}
