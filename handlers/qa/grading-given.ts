// What a grading question gives, however the member words it: the branch's own score and the
// superior's (told apart by who gave them: 自评, 自己, 我们 / 上级, 局里, 考评), a score given by
// no one in particular (最后算下来82分), the points of the sheet's parts and items (领导班子满分,
// 党员队伍扣了2分, 第26条只拿了2分, 活动经费那条扣了2分), a 满意率, and whether the rest is full (其他都满分).

export interface SheetShape {
  parts: { id: string; title: string; max: number }[];
  items: { id: string; max: number }[];
  /** The item some words name (活动经费 for 第18项), when only one does. */
  itemNamed(words: string): { id: string; max: number } | null;
}

export interface Given {
  self: number | null;
  review: number | null;
  /** Scores no one in particular gave (最后算下来82分), in order. */
  totals: number[];
  /** Points of the sheet's parts and items, by id, as the question gives them. */
  parts: Map<string, number>;
  items: Map<string, number>;
  /** 满意率 in %. */
  rate: number | null;
  /** The counts the 满意率 was worked out from (问卷发了200份，满意的170份), when it was. */
  counted: { satisfied: number; of: number } | null;
  /** The parts and items not named are full (其他都满分, 前面四大块基本都是满分). */
  restFull: boolean;
  /** The parts not named, given together: their points (其他四块加起来65分) or what they lost (另外四大块一共丢了8分). */
  rest: { points: number } | { lost: number } | null;
  /** A part or an item given more points than it is worth, or fewer than none. */
  impossible: boolean;
}

type Anchor =
  // (unnamed: an item pointed at that the words name no single row of, 书记那条3分: its points are no score.)
  | { kind: 'self' | 'review' | 'total' | 'rest' | 'mass' | 'unnamed' }
  | { kind: 'part'; id: string; max: number }
  | { kind: 'item'; id: string; max: number };

/** Who gave a score: the branch itself, or a superior (the bureau, the district, the reviewers). */
const SELF = '自评|自己|自打|自测|我们|咱们|本支部|我支部';
const REVIEW = '上级|上一级|上面|考评|考核组|检查组|局里|局党委|教育局|区里|市里|县里|党委|工委|复评|复核';
const REST = '其他|其余|其它|另外|别的|剩下的?|剩余|前面';
/** A score that is the total, whoever is speaking (我们支部最后算下来82分). */
const TOTAL = '总分|最后|最终|算下来|加起来|合计|一共|总共|折算|综合|加权';
/** A number that counts something else than points (附件1, 2022年, 3个人, 第5条). */
const NOT_POINTS =
  /^(?:年|月|日|号|个|人|名|次|条|项|岁|届|所|位|天|周|期|级|档|星|块|部分|大块|校|家|篇|节|课时|学时|小时|元|万|份|张)/;
/**
 * An item by its number alone, as in a list of scores (逐条自评：12条给1分、15条2分): a number and 条
 * opening a clause, its points right after. (有3条扣了2分 counts rows: 有 opens no clause.)
 */
const ITEM_BY_NUMBER = /(^|[：:、，,；;])(\d{1,2}[条项])(?=[^，,。；;、\d]{0,4}\d)/g;
/** Points that name the sheet, not a score (100分的定级打分表, 满分100分的评分标准). */
const NAMES_SHEET = /^的?[^，,。；;？?！!\d]{0,10}?(?:表|标准|细则)/;
/** A 满意率 given as counts: so many asked (问卷发了200份), so many satisfied (满意的170份). */
const COUNTED = /(\d+)\s*(?:份|人|张|名)[^。；;？?\d]{0,12}满意的?(?:有|是|占)?(\d+)\s*(?:份|人|张|名)/;
/** Points a score falls short by (差这0.4分, 就差1分, 还差半分到60): a gap to a line, not a score. */
const SHORT_BY = /(?:还|只|就|仅|才)?差(?:了|这|那|这么|个)?\s*\d+(?:\.\d+)?\s*分/g;
/** The other parts given one by one, in the sheet's order (其他四块分别是19、13、17、22). */
const EACH = /^[^，,。；;？?！!\d]{0,10}分别/;

/** The question's scores and points, each placed by the words before it since the number before. */
export function readGiven(question: string, sheet: SheetShape): Given {
  let text = question;
  const given: Given = {
    self: null,
    review: null,
    totals: [],
    parts: new Map(),
    items: new Map(),
    rate: null,
    counted: null,
    restFull: false,
    rest: null,
    impossible: false,
  };
  const partNames = sheet.parts.map((p) => p.title.replace(/好$/, ''));
  const shortNames = shortPartNames(partNames);
  const token = new RegExp(
    [
      `第(\\d{1,2})[条项]`,
      `(${partNames.join('|')})好?`,
      // A part by its short name (班子18、队伍12) only right before its points: 班子成员闹矛盾 names no points.
      `(${[...shortNames.keys()].join('|')})(?=[^\\d，,。；;？?！!]{0,4}(?:\\d|满分))`,
      '(满意[率度]|群众满意)',
      `(${SELF})`,
      `(${REVIEW})`,
      `(${REST})`,
      `(${TOTAL})`,
      '(满分)',
      '(扣了?|减了?|丢了?)',
      '(附件|表)\\d+',
      // An item told of in a clause, then pointed at (活动经费没进学校预算，这条我打0分).
      '([^，,。；;？?！!\\d]{4,24})[，,](?:那|这)一?[条项]',
      // An item named by its words (活动经费那条, 党员示范岗这一项), when no word above starts there.
      '(\\p{Script=Han}{2,10}?)(?:那|这)一?[条项]',
      '(\\d+(?:\\.\\d+)?)\\s*(%|％|分)?',
    ].join('|'),
    'gu',
  );
  text = itemsByContent(text, sheet, partNames).replace(ITEM_BY_NUMBER, '$1第$2').replace(SHORT_BY, '');
  const counted = COUNTED.exec(text);
  if (counted && Number(counted[1]) > 0 && Number(counted[2]) <= Number(counted[1]))
    given.counted = { satisfied: Number(counted[2]), of: Number(counted[1]) };
  let anchor: Anchor | null = null;
  let actor: Anchor | null = null;
  let deduct = false;
  // The other parts' points, given one by one (其他四块分别是…): placed in the sheet's order after.
  let each: number[] | null = null;
  const placeTo = (a: Anchor | null, points: number) => {
    if (a?.kind === 'part' || a?.kind === 'item') {
      const got = deduct ? a.max - points : points;
      if (got < 0 || got > a.max) given.impossible = true;
      (a.kind === 'part' ? given.parts : given.items).set(a.id, got);
    }
  };
  for (const m of text.matchAll(token)) {
    const [, item, part, short, mass, self, review, rest, total, full, minus, , told, named, num, unit] = m;
    const words = told ?? named;
    if (item || words) {
      const found = item ? sheet.items.find((i) => i.id === `i${item}`) : sheet.itemNamed(words ?? '');
      anchor = found ? { kind: 'item', id: found.id, max: found.max } : { kind: 'unnamed' };
    } else if (part || short) {
      const found = sheet.parts[part ? partNames.indexOf(part) : (shortNames.get(short ?? '') ?? -1)];
      anchor = found ? { kind: 'part', id: found.id, max: found.max } : null;
    } else if (mass) {
      anchor = { kind: 'mass' };
    } else if (self) {
      actor = { kind: 'self' };
    } else if (review) {
      actor = { kind: 'review' };
    } else if (rest) {
      anchor = { kind: 'rest' };
      if (EACH.test(text.slice((m.index ?? 0) + m[0].length))) each = [];
    } else if (total) {
      actor = { kind: 'total' };
      // 总分 is the whole sheet's, even after the other parts were spoken of (其他几块都挺高，总分能到85).
      if (anchor?.kind === 'rest' && /总分|最后|算下来/.test(total)) anchor = null;
    } else if (full) {
      if (anchor?.kind === 'rest') given.restFull = true;
      else if (anchor?.kind === 'part' || anchor?.kind === 'item') placeTo(anchor, anchor.max);
      anchor = null;
      actor = null;
      deduct = false;
    } else if (minus) {
      deduct = true;
    } else if (num) {
      const n = Number(num);
      const after = text.slice((m.index ?? 0) + m[0].length);
      if (each && anchor?.kind === 'rest' && unit !== '%' && unit !== '％') {
        each.push(n);
        // (The list goes on: 19、13、17、22.)
        if (/^[、，,和及]\s*\d/.test(after)) continue;
        anchor = null;
        continue;
      }
      if (unit === '%' || unit === '％' || (anchor?.kind === 'mass' && !unit)) {
        if (anchor?.kind === 'mass' || /满意/.test(text)) given.rate = n;
      } else if (!(unit !== '分' && NOT_POINTS.test(after)) && !NAMES_SHEET.test(after) && n <= 100) {
        // The part or item named since the last number is what the points are of; else who gave them.
        const mass = anchor?.kind === 'mass' ? massPart(sheet) : null;
        if (anchor?.kind === 'unnamed') {
          // (An item's points, though not which item's.)
        } else if (anchor?.kind === 'part' || anchor?.kind === 'item') placeTo(anchor, n);
        else if (mass) placeTo(mass, n);
        // The other parts together: what they lost, or their sum (said as one: 加起来, 一共).
        else if (anchor?.kind === 'rest' && deduct) given.rest = { lost: n };
        else if (anchor?.kind === 'rest' && actor?.kind === 'total') given.rest = { points: n };
        else if (actor?.kind === 'self') given.self ??= n;
        else if (actor?.kind === 'review') given.review ??= n;
        // A number no one gave is a score only when said in points or as the total.
        else if (unit === '分' || actor?.kind === 'total') given.totals.push(n);
      }
      anchor = null;
      // A list of scores (最终得分93、75、58) is given by whoever gave its first.
      if (!/^[、，,和及]\d/.test(after)) actor = null;
      deduct = false;
    }
  }
  if (given.counted) given.rate = (100 * given.counted.satisfied) / given.counted.of;
  if (each?.length) placeEach(given, sheet, each);
  return given;
}

/**
 * Items named by what they are about right before their points (三会一课我打2分、经费没单独列预算打1分)
 * written as the items they are (第15条我打2分): each row gets its own points, not the part named before.
 * (Words that name who scored, the rest, the total or a part are no item's.)
 */
function itemsByContent(text: string, sheet: SheetShape, partNames: string[]): string {
  const notItem = new RegExp(`${SELF}|${REVIEW}|${REST}|${TOTAL}|满分|满意|${partNames.join('|')}|^[这那]|[条项]$`);
  // (Who speaks may open the clause: 我们支部三会一课…给了2分.)
  const speaker = new RegExp(`^(?:(?:${SELF})(?:支部)?)+`);
  return text.replace(SCORED_BY_CONTENT, (all, said: string, rest: string) => {
    const lead = said.match(speaker)?.[0] ?? '';
    const words = said.slice(lead.length);
    if (notItem.test(words)) return all;
    const item = sheet.itemNamed(words);
    return item ? `${lead}第${item.id.slice(1)}条${rest}` : all;
  });
}

/** Words naming a row, then its points as the member gives them (…我打2分, …打1分, …只拿了1分). */
const SCORED_BY_CONTENT =
  /([^，,。；;：:？?！!、\d\s]{2,16}?)((?:我们?|咱们?|自评)?(?:只)?(?:打|给|得|拿|算)了?\s*\d)/gu;

/** The points of the parts not named, given in the sheet's order: placed when there are as many as parts. */
function placeEach(given: Given, sheet: SheetShape, points: number[]): void {
  const open = sheet.parts.filter((p) => !given.parts.has(p.id) && !(p.id === 'mass' && given.rate !== null));
  if (open.length !== points.length) return;
  open.forEach((p, i) => {
    const got = points[i] as number;
    if (got < 0 || got > p.max) given.impossible = true;
    given.parts.set(p.id, got);
  });
}

/**
 * The parts' short names, as members abbreviate them (班子 for 领导班子, 业绩 for 工作业绩, 群众 for
 * 群众反映): a name's first or last word, by the part's index, when no other part's name has it.
 */
function shortPartNames(names: string[]): Map<string, number> {
  const short = new Map<string, number>();
  names.forEach((name, i) => {
    for (const word of name.length > 2 ? [name.slice(-2), name.slice(0, 2)] : []) {
      if (!names.some((other, j) => j !== i && other.includes(word))) short.set(word, i);
    }
  });
  return short;
}

/** The sheet's 群众反映好 part, which a 满意率 scores. */
function massPart(sheet: SheetShape): Anchor | null {
  const p = sheet.parts.find((x) => x.id === 'mass');
  return p ? { kind: 'part', id: p.id, max: p.max } : null;
}
