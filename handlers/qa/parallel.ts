// Numbered terms of a verb (五看, 四强化, 双培养): the documents coin them and spell them out as
// parallel clauses of the verb (看…；看…；看…; 把优秀党员培养成名师，把年轻优秀教师培养成党员), often
// without the term beside them. What the question asks of such a verb, and whether a sentence spells it out.
import { flat } from './retrieve';

export interface VerbAsked {
  verb: string;
  /** How many clauses the term counts (五看: 5); 2 for a verb asking for several. */
  count: number;
  /** A verb asking for several (看哪几方面), not a numbered term. */
  asking?: boolean;
}

/** The verbs asked of which the sentence holds as many parallel clauses as counted (two at least). */
export function spelledIn(asked: VerbAsked[], sentence: string): VerbAsked[] {
  if (asked.length === 0) return [];
  const clauses = flat(sentence).split(/[，,；;。：:]/);
  return asked.filter(({ verb, count }) => clausesOf(clauses, verb) >= Math.max(count, 2));
}

export const spellsOut = (asked: VerbAsked[], sentence: string) => spelledIn(asked, sentence).length > 0;

/**
 * The verbs whose parallel clauses would be the items asked, each with how many the question
 * counts: a numbered term of a verb (五看, 四强化, 双培养: 5, 4, 2, read as the one or two characters
 * after the numeral) or a verb asking for several (主要看哪几方面, 抓哪些: 2 at least).
 */
export function parallelAsked(text: string): VerbAsked[] {
  const out: VerbAsked[] = [];
  for (const m of text.matchAll(NUMBERED_TERM)) {
    const count = countOf(m[1] as string);
    const after = m[2] as string;
    out.push({ verb: after.slice(0, 1), count });
    if (after.length > 1) out.push({ verb: after, count });
  }
  const asking = text.match(VERB_ASKING);
  if (asking) out.push({ verb: asking[1] as string, count: 2, asking: true });
  return out;
}

/** The word is the numbered term of the verb, as counted (双培养 of 培养 twice, 五看 of 看 five times). */
export function numbers(word: string, { verb, count }: VerbAsked): boolean {
  return [...word.matchAll(NUMBERED_TERM)].some(
    (m) => (m[2] as string).startsWith(verb) && countOf(m[1] as string) === count,
  );
}

/** How many clauses begin with the verb (看…), with a counted one (一是强化…) or its object first ((努力)把…培养成…). */
function clausesOf(clauses: string[], verb: string): number {
  const begins = new RegExp(`^(?:[一二三四五六七八九十]是|[^把]{0,3}把[^把]{1,12}?)?${escapeRegExp(verb)}`);
  return clauses.filter((c) => begins.test(c)).length;
}

const NUMERALS = '一二三四五六七八九十';
const countOf = (numeral: string) => NUMERALS.indexOf(numeral) + 1 || 2;
/** 双培养, 四强化, 五看: a numeral, then a verb (the two characters after it, or the first of them). */
const NUMBERED_TERM = /(双|两|[二三四五六七八九十])([\u4e00-\u9fff]{1,2})/g;
/** 看哪几方面, 抓哪些: the verb before what asks for several. */
const VERB_ASKING = /([看抓查评考管])些?(?:哪几|哪些|哪[二三四五六七八九十两]|什么|啥)/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
