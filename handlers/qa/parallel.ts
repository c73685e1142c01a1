// Numbered terms of a verb (五看, 四强化, 双培养): the documents coin them and spell them out as
// parallel clauses of the verb (看…；看…；看…; 把优秀党员培养成名师，把年轻优秀教师培养成党员), often
// without the term beside them. What the question asks of such a verb, and whether a sentence spells it out.
import { flat } from './retrieve';

export interface VerbAsked {
  verb: string;
  /** How many clauses the term counts (五看: 5); 2 for a verb asking for several. */
  count: number;
  /** A verb asking for several (看哪几方面), not a numbered term; or an item of a coined term, which asks for its items too. */
  asking?: boolean;
  /**
   * The coined term whose items each carry the character (三亮三比一争优: 亮…比…、亮…比…; 五个“一”:
   * 配强一支队伍、挂出一块牌子; 几个账、几个单、一张图: …台账、…告知单、…流程图), anywhere in the item.
   */
  of?: string;
}

/** The verbs asked of which the sentence holds as many parallel clauses as counted (two at least). */
export function spelledIn(asked: VerbAsked[], sentence: string): VerbAsked[] {
  if (asked.length === 0) return [];
  const text = flat(sentence);
  const clauses = text.split(/[，,；;。：:]/);
  const verbs = asked.filter(({ verb, count, of }) => !of && clausesOf(clauses, verb) >= Math.max(count, 2));
  // A coined term is spelled out where each of its characters is in as many items as it counts.
  const terms = new Set(asked.flatMap(({ of }) => (of ? [of] : [])));
  const items = terms.size > 0 ? itemsOf(text, terms) : [];
  const carried = (v: VerbAsked) => items.filter((item) => item.includes(v.verb)).length >= v.count;
  const coined = [...terms].flatMap((term) => {
    const groups = asked.filter((v) => v.of === term);
    return groups.every(carried) ? groups : [];
  });
  return [...verbs, ...coined];
}

/** The sentence's items (split at 、 too), the coined terms asked taken out (三亮三比一争优：亮身份比学习、…). */
function itemsOf(text: string, terms: Set<string>): string[] {
  let rest = text;
  for (const term of terms) rest = rest.split(term).join('');
  return rest.split(/[，,；;。：:、]/).filter((item) => item.length >= MIN_ITEM);
}

/** An item is a phrase (一支队伍, 问题清单): a character or two alone is no item. */
const MIN_ITEM = 3;

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
  if (asking) out.push({ verb: (asking[1] ?? asking[2]) as string, count: 2, asking: true });
  for (const m of text.matchAll(COINED)) {
    const term = m[0].replace(/[“”"‘’']/g, '');
    const groups = [...term.matchAll(GROUP)];
    // Two counted characters at least (三亮三比…, 几个账、几个单…), or one counted as several (五个“一”);
    // a term opening with 一 is a phrase (一对一结对, 一共几分).
    const first = (groups[0]?.[1] as string) ?? '一';
    if (first === '一' || (groups.length < 2 && countOf(first) < MIN_SINGLE)) continue;
    for (const g of groups) {
      const count = g[1] === '几' ? 1 : countOf(g[1] as string);
      out.push({ verb: g[3] as string, count, asking: true, of: flat(term) });
    }
  }
  // A phrase counted (五个“到群众中去”, “到群众中去”一共五条): each item carries it (意见到群众中去听、问题到群众中去找).
  for (const m of text.matchAll(COUNTED_PHRASE)) {
    const phrase = (m[2] ?? m[3] ?? m[6]) as string;
    const numeral = (m[1] ?? m[4] ?? m[5]) as string;
    out.push({ verb: phrase, count: countOf(numeral), asking: true, of: flat(`${numeral}个${phrase}`) });
  }
  return out;
}

/**
 * A phrase counted as several items: 五个“到群众中去”, “到群众中去”一共五条 (quoted, the count before or
 * after it), 五个到群众中去是哪五个 (unquoted, three characters at least, before what asks; not a
 * span of time or a number of people, 三个月以上, 五个人都).
 */
const COUNTED_PHRASE =
  /([三四五六七八九十])个[“"‘']([\u4e00-\u9fff]{2,8})[”"’']|[“"‘']([\u4e00-\u9fff]{2,8})[”"’'][^。？?；;“”"]{0,8}?([三四五六七八九十])(?:条|个|点|项|句|方面)|([三四五六七八九十])个(?![月年天日周次人小学课期])((?:(?![是指哪什啥有都分具])[\u4e00-\u9fff]){3,8})(?=是|指|分别|具体|都|有哪|[，,。？?]|$)/g;

/** A counted character of a coined term: a numeral, perhaps a counter, the character (三亮, 五个“一”, 一张图). */
const GROUP_SOURCE =
  '(双|两|几|[一二三四五六七八九十])([个张块枚项条])?[“"‘\']?(?![个张块枚项条])([\u4e00-\u9fff])[”"’\']?';
const GROUP = new RegExp(GROUP_SOURCE, 'g');
/** A numeral after 这, 近 or 头 counting years or months is a span of time (这两年一个新党员都没发展), not a term's items. */
const NOT_A_SPAN = '(?!(?<=[这那近前后头])(?:双|两|几|[一二三四五六七八九十])个?(?:年|月|天|周|学期))';
/**
 * A coined term: counted characters side by side (三亮三比一争优) or listed (几个账、几个单、一张图),
 * or one character counted as several (五个“一”), the term ending where no numeral follows.
 */
const COINED = new RegExp(
  `${NOT_A_SPAN}${GROUP_SOURCE}(?:[、和与]?${GROUP_SOURCE})+|(?:[三四五六七八九十])个[“"‘']([\u4e00-\u9fff])[”"’']|(?:[三四五六七八九十])个一(?![\u4e00-\u9fff]*[个支块枚套张])`,
  'g',
);
/** A single counted character is a term only counted as this many (五个一), else it is any count (一个人). */
const MIN_SINGLE = 3;

/** The word is the numbered term of the verb, as counted (双培养 of 培养 twice, 五看 of 看 five times). */
export function numbers(word: string, { verb, count, of }: VerbAsked): boolean {
  if (of) return flat(word) === of;
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
const NUMBERED_TERM = new RegExp(`${NOT_A_SPAN}(双|两|[二三四五六七八九十])([\u4e00-\u9fff]{1,2})`, 'g');
/** 看哪几方面, 抓哪些: the verb before what asks for several; or after it (从哪几个方面看). */
const VERB_ASKING =
  /([看抓查评考管])些?(?:哪几|哪些|哪[二三四五六七八九十两]|什么|啥)|(?:哪几|哪些|哪[二三四五六七八九十两])个?(?:方面|块|点)(?:来|去)?([看抓查评考管])/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
