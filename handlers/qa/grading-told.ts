// The sheet's rows a grading message tells of (书记还是初级职称, 一年只开了8次支部会, 书记和校长闹得挺僵):
// each told situation, clause by clause, named in the sheet's words where a person says it otherwise.
// What a person calls the sheet's words is data here; the rows themselves come from the shipped sheet.

/** A person's words for the sheet's (校长 is the school's 行政负责人; a 支部会 is one of the 三会一课). */
const SHEET_WORDS: [RegExp, string][] = [
  [/校长|院长|园长/g, '行政负责人'],
  [/支部(?:党员)?大会|支部委员会|支部会|支委会|党小组会|上党课|党课/g, '三会一课'],
  [/组织生活会?/g, '党内生活'],
];

/** A clause that asks rather than tells (这扣哪几条的分, 会不会直接判后进). */
const ASKS = /[吗呢么？?]|多少|几[分条项级档]|哪|会不会|能不能|是不是|够不够|怎么|咋/;

/**
 * The rows a message tells of, one per clause that names one (by the words few rows share), in the
 * message's order. `rowOf` names a row from words; `vetoOf` gives the veto line a clause tells of, whose
 * words name the row behind it too (闹得挺僵 is 领导班子不团结, which the 团结合作 row scores).
 */
export function toldRows<T>(
  message: string,
  rowOf: (words: string) => T | null,
  vetoOf: (clause: string) => string | null,
  /** Words that score rather than tell (a part's name, 满意率): 领导班子那块满分 tells of no row. */
  scores: RegExp,
): T[] {
  const rows: T[] = [];
  for (const clause of message.split(/[，,。；;！!？?]/)) {
    if (ASKS.test(clause) || clause.length < 4) continue;
    let words = clause.replace(scores, '');
    for (const [said, sheet] of SHEET_WORDS) words = words.replace(said, sheet);
    const row = rowOf(`${words}${(vetoOf(clause) ?? '').replace(scores, '')}`);
    if (row !== null && !rows.includes(row)) rows.push(row);
  }
  return rows;
}
