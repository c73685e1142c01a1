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
}

/** A period in months, as said: 半年 6, 大半年 8, 一年多 13, 三个月 3, 一学期 6, 两年 24. */
const PERIOD = /(大半|小半|半|[一二两三四五六七八九十\d]+)(?:个)?(年|个?月|学期)(多|以上|前)?/g;
const NUMBER: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** Each period the text gives, in months, and whether it is said as ago (三年前). */
function periodsOf(text: string): { months: number; ago: boolean }[] {
  const out: { months: number; ago: boolean }[] = [];
  for (const [, n, unit, more] of text.matchAll(PERIOD)) {
    const count = n === '半' ? 0.5 : n === '小半' ? 0.4 : n === '大半' ? 0.7 : Number(n) || (NUMBER[n ?? ''] ?? 0);
    const per = unit === '年' ? 12 : unit === '学期' ? 6 : 1;
    out.push({ months: count * per + (more === '多' || more === '以上' ? 0.5 : 0), ago: more === '前' });
  }
  return out;
}

/**
 * What a member says of each line: the line's own words or a person's for them, and the period the
 * line sets (the least a situation must last, or the most since it happened).
 */
const SAID: Record<string, { words: RegExp; unless?: RegExp; least?: number; within?: number }> = {
  // A punishment named by its kind or by its name: 判刑, 拘役 are 刑事处罚; 拘留, 罚款 行政处罚; 记过, 开除 处分.
  // A party punishment (党内警告, 留党察看, 开除党籍) is none of the line's three: `unless` drops it.
  punished: {
    words:
      /刑事处罚|行政处罚|纪律处分|校纪校规处分|受.{0,4}处分|判刑|判了刑|被判|拘役|徒刑|缓刑|拘留|罚款|记过|记大过|警告|留校察看|开除/,
    unless: /党内|党纪|留党察看|开除党籍|撤销党内/,
    within: 12,
  },
  // The team at odds, however said: the line's 不团结, or its members' 矛盾, 不和, 闹得挺僵, 不说话,
  // 各干各的 — between the 班子/支委 or members named by their post (书记和组织委员). Unless the message
  // says it was settled (意见不一，讨论后统一了): a disagreement resolved is no disunity.
  disunited: {
    words:
      /不团结|(班子|支委|委员|领导|书记|校长|院长|园长).{0,12}?(矛盾|不和|闹.{0,3}僵|闹别扭|闹掰|吵架|吵起来|内耗|拆台|对着干|互不配合|不配合|合不来|不对付|关系.{0,3}(紧张|僵|差|不好)|有分歧|不说话|不来往|不往来|不搭理|互不理睬|各干各的|各搞各的|各自为政|搞不到一块|有隔阂)/,
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
    const m = said?.words.exec(text);
    if (!said || !m) continue;
    // The period said in the same clause as the situation decides whether the line's period is met.
    const clause = clauseAround(text, m.index, m[0].length);
    if (said.unless?.test(sentenceFrom(text, m.index, clause))) continue;
    const periods = periodsOf(clause);
    const lasted = periods.filter((p) => !p.ago);
    const ago = periods.filter((p) => p.ago);
    const short = said.least !== undefined && lasted.length > 0 && lasted.every((p) => p.months < (said.least ?? 0));
    const old = said.within !== undefined && ago.length > 0 && ago.every((p) => p.months > (said.within ?? 0));
    return { line, holds: !short && !old };
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
