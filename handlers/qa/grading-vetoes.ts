// Which of the sheet's 直接定为后进 lines a member's message tells of, in the member's words, and
// whether it holds for the period the line sets (近一年, 一年以上). The lines come from the shipped
// sheet; what a person calls each (闹矛盾 for 不团结, 拘留 for 行政处罚, 半年没搞活动) is data here,
// keyed by the sheet's item, so a line the sheet drops is never recognised.

/** One of the sheet's veto lines, as data/forms/grading.json states it. */
export interface VetoLine {
  item: string;
  text: string;
}

export interface VetoSaid {
  /** The sheet's line the message tells of. */
  line: string;
  /** False when the message gives a period that falls outside the line's (半年没活动 for 一年以上). */
  holds: boolean;
  /** The member's words and the sheet's kind they are (罚了款 is a 行政处罚), when the line names kinds. */
  kind: { said: string; is: string } | null;
}

/** A period in months, as said: 半年 6, 大半年 8, 一年多 13, 三个月 3, 一学期 6, 两年 24. */
const PERIOD = /(大半|小半|半|[一二两三四五六七八九十\d]+)(?:个)?(年|个?月|学期)(多|以上|前)?/g;
const NUMBER: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** Each period the text gives, in months, and whether it is said as ago (三年前). */
function periodsOf(text: string): { months: number; ago: boolean }[] {
  const out: { months: number; ago: boolean }[] = [];
  // (前年 is a year and more ago: 大前年 more still.)
  for (const [before] of text.matchAll(/大?前年/g)) out.push({ months: before.length === 3 ? 36 : 24, ago: true });
  for (const [, n, unit, more] of text.matchAll(PERIOD)) {
    const count = n === '半' ? 0.5 : n === '小半' ? 0.4 : n === '大半' ? 0.7 : Number(n) || (NUMBER[n ?? ''] ?? 0);
    const per = unit === '年' ? 12 : unit === '学期' ? 6 : 1;
    out.push({ months: count * per + (more === '多' || more === '以上' ? 0.5 : 0), ago: more === '前' });
  }
  return out;
}

/**
 * The plain words for each kind of punishment the punished line may name, keyed by the sheet's word:
 * a teacher says 罚了款, 被拘了, 吊销了驾照 for a 行政处罚, 判了两年, 坐牢 for a 刑事处罚, 记过, 背了个处分
 * for a 校纪校规处分. Only the kinds the shipped line names are recognised.
 */
const PUNISHMENTS: Record<string, RegExp> = {
  刑事处罚:
    /刑事处罚|被?判了?(?:[一二两三四五六七八九十半\d]+(?:年|个月)|缓刑|实刑)|被?判了?刑|被判|获刑|拘役|徒刑|缓刑|坐牢|坐了.{0,3}牢|蹲了?.{0,3}(?:监狱|大牢|号子)|入狱|服刑|追究刑事责任/,
  行政处罚:
    /行政处罚|治安处罚|被?拘留|被拘|被?罚款|被?罚了?[^，,。；;？?！!]{0,4}?(?:款|钱|\d|[一二两三四五六七八九十百千万几]+[块元])|被罚|挨罚|罚单|吊销.{0,4}(?:驾照|驾驶证|执照|证)|暂扣.{0,4}(?:驾照|驾驶证)/,
  校纪校规处分:
    /校纪校规处分|纪律处分|[受挨背吃给].{0,4}处分|处分了|被处分|记过|记大过|警告|留校察看|开除|降低岗位等级|撤职/,
};

/** The punished line's words: the plain words of each kind of punishment the line names. */
const punishedWords = (line: string) =>
  new RegExp(
    Object.entries(PUNISHMENTS)
      .filter(([kind]) => line.includes(kind))
      .map(([, words]) => words.source)
      .join('|') || '$^',
  );

/** The kind of punishment (by the sheet's word) some plain words are, unless they are the kind's own name. */
function punishmentKind(said: string): VetoSaid['kind'] {
  const is = Object.entries(PUNISHMENTS).find(([, words]) => words.test(said))?.[0];
  return is && !said.includes(is) ? { said, is } : null;
}

/**
 * What a member says of each line: the line's own words or a person's for them, and the period the
 * line sets (the least a situation must last, or the most since it happened).
 */
const SAID: Record<
  string,
  { words: RegExp | ((line: string) => RegExp); unless?: RegExp; least?: number; within?: number }
> = {
  // A punishment named by its kind or by a person's words for it (PUNISHMENTS). A party punishment
  // (党内警告, 留党察看, 开除党籍) is none of the line's three: `unless` drops it, as it drops one denied
  // (没受过处分, 从没被罚过).
  punished: {
    words: punishedWords,
    unless:
      /党内|党纪|留党察看|开除党籍|撤销党内|(?:没|未|无|不曾)有?(?:过|被|受|挨)?[^，,。；;]{0,3}(?:处分|处罚|罚|判|拘)/,
    within: 12,
  },
  // The team at odds, however said: the line's 不团结, or its members' 矛盾, 不(太)和, 不太对付, 闹得挺僵, 不说话,
  // 各干各的 — between the 班子/支委 or members named by their post (书记和组织委员). Unless the message
  // says it was settled (意见不一，讨论后统一了): a disagreement resolved is no disunity.
  disunited: {
    words:
      /不团结|(班子|支委|委员|领导|书记|校长|院长|园长).{0,12}?(矛盾|闹.{0,3}僵|闹别扭|闹掰|吵架|吵起来|内耗|拆台|对着干|互不配合|不(?:太|大|怎么|是很|很)?(?:和|配合|对付|对盘|团结)|合不来|关系.{0,3}(紧张|僵|差|不(?:太|大|怎么)?好)|有分歧|不说话|不来往|不往来|不搭理|互不理睬|各干各的|各搞各的|各自为政|搞不到一块|有隔阂)/,
    unless: /统一了|达成一致|一致了|解决了|化解了|和好了|说开了|消除了/,
  },
  // No activity: 没开展/没搞/没组织过活动, 活动停了, the activity named first (一次活动都没搞, 活动一次也没开展);
  // for a year or more. A few words may qualify the verb (没正经搞过, 都没怎么组织, 基本没开展).
  inactive: {
    words:
      /[没未]有?[^，,。；;？?！!]{0,4}?(开展|搞|组织|举办|开)过?[^，,。；;？?！!]{0,6}?活动|活动.{0,3}(停了|停摆|中断|断了)|活动[^，,。；;？?！!]{0,6}?[没未]有?[^，,。；;？?！!]{0,4}?(开展|搞|组织|举办|开)/,
    least: 12,
  },
};

/** The sheet's veto line the message tells of (the first, in the sheet's order), or null. */
export function vetoSaid(text: string, lines: readonly VetoLine[]): VetoSaid | null {
  for (const { item, text: line } of lines) {
    const said = SAID[item];
    const words = typeof said?.words === 'function' ? said.words(line) : said?.words;
    const m = words?.exec(text);
    if (!said || !m) continue;
    // The period said in the same clause as the situation decides whether the line's period is met.
    const clause = clauseAround(text, m.index, m[0].length);
    if (said.unless?.test(sentenceFrom(text, m.index, clause))) continue;
    const periods = periodsOf(clause);
    const lasted = periods.filter((p) => !p.ago);
    const ago = periods.filter((p) => p.ago);
    const short = said.least !== undefined && lasted.length > 0 && lasted.every((p) => p.months < (said.least ?? 0));
    const old = said.within !== undefined && ago.length > 0 && ago.every((p) => p.months > (said.within ?? 0));
    return { line, holds: !short && !old, kind: item === 'punished' ? punishmentKind(m[0]) : null };
  }
  return null;
}

/** The clause (between punctuation) holding text[at, at + length). */
function clauseAround(text: string, at: number, length: number): string {
  const before = text.slice(0, at).search(/[^，,。；;？?！!]*$/);
  const after = text.slice(at + length).search(/[，,。；;？?！!]|$/);
  return text.slice(before, at + length + after);
}

/** The rest of the sentence from the clause holding text[at] on: where a message says the situation was settled. */
function sentenceFrom(text: string, at: number, clause: string): string {
  const start = text.lastIndexOf(clause, at);
  const end = text.slice(at).search(/[。；;？?！!]|$/);
  return text.slice(start < 0 ? at : start, at + end);
}
