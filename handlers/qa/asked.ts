// What a question asks, as an answer names it when the documents do not give it: the subject in
// the documents' words and what was asked of it (党费的比例, 发展党员的上限, 党支部委员会的任期年限),
// never the member's own message, which holds their situation and small talk.
import { MEASURES, type Question, SHARE_ASKED } from './question';
import { flat, type Weighted } from './retrieve';

/** What a quantity question asks for, by the words that ask it. */
const LABELS: [RegExp, string][] = [
  [/(几|多少)年|干几年|任期/, '年限'],
  [/(几|多少)个?月/, '期限'],
  [/(几|多少)(天|日)/, '天数'],
  [/多长时间|多长/, '时长'],
  [/(几|多少)(学时|课时|小时)/, '学时'],
  [SHARE_ASKED, '比例'],
  [/(几|多少)(次|回)/, '次数'],
  [/(几|多少)(名|个人|人|位)/, '人数'],
  [/(几|多少)分/, '分值'],
  [/(几|多少)(钱|元|万)/, '金额'],
];

/** The label of what was asked (年限, 频次, 上限) in the question's own words, or null when it asks no one thing. */
function label(q: Question, own: string): string | null {
  if (q.bound === 'max') return '上限';
  if (q.bound === 'min') return '最低要求';
  const unit = LABELS.find(([re]) => re.test(own))?.[1];
  if (unit) return unit;
  if (q.needs.includes('frequency')) return '频次';
  if (q.needs.includes('number')) return '具体数量';
  if (q.needs.includes('time')) return '时间';
  if (q.needs.includes('who')) return '由谁负责';
  if (q.needs.includes('steps')) return '具体步骤';
  if (q.needs.includes('list')) return q.listHead ? `具体的${q.listHead.noun}` : '具体内容';
  return null;
}

/**
 * The subject asked about as the question itself names it: the weightiest run of its words that
 * the question writes together (党费, 党支部委员会一届), so long as it is short. Empty when the
 * question's own words name none, or name it only in scattered words: the answer then says it plainly.
 */
export function subjectPhrase(own: string, subject: Weighted[]): string {
  // (A word the segmenter joined from pieces, 发展|几个|党员 → 发展党员, stands where it starts.)
  const at = (word: string) => {
    const i = own.indexOf(flat(word));
    return i >= 0 ? i : own.indexOf(flat(word).slice(0, 2));
  };
  const words = subject
    .filter((w) => w.df > 0 && !MEASURES.has(w.concept.word))
    .map((w) => ({ word: w.concept.word, weight: w.weight, at: at(w.concept.word) }))
    .filter((w) => w.at >= 0)
    .sort((a, b) => a.at - b.at);
  const runs: { text: string; weight: number; end: number }[] = [];
  for (const w of words) {
    const last = runs[runs.length - 1];
    if (last && w.at === last.end) {
      last.text += w.word;
      last.weight += w.weight;
      last.end = w.at + w.word.length;
    } else if (!last || w.at > last.end) runs.push({ text: w.word, weight: w.weight, end: w.at + w.word.length });
  }
  const best = runs.sort((a, b) => b.weight - a.weight)[0];
  return best && best.text.length <= PHRASE_MAX ? best.text : '';
}

const PHRASE_MAX = 10;

/** Said of one document in a comparison that does not give what was asked (频次, 年限), when others do. */
export function notSetHere(q: Question, own: string): string {
  return `（这份文件没有直接规定${label(q, flat(own)) ?? '这一点'}）`;
}

/** How a related answer opens: what the documents do not set, in their terms, or plainly. */
export function notSet(q: Question, own: string, subject: Weighted[]): string {
  const asked = label(q, flat(own));
  // (The list's noun said once: 具体的内容, not 内容的具体的内容.)
  const what = subjectPhrase(
    flat(own),
    subject.filter((w) => w.concept.word !== q.listHead?.noun),
  );
  if (what && asked) return `已载入的文件没有直接规定${what}的${asked}，相关规定是：`;
  if (asked) return `已载入的文件没有直接规定${asked}，相关规定是：`;
  return '已载入的文件没有直接规定这一点，相关规定是：';
}

/**
 * Handing something in, however it is said: 交, 报, 送, 发, 提 (意见), 反馈, 上报, 提交… (not 交流, 提高,
 * 报名, 发展, 发布).
 */
const HAND_IN =
  '(?:提交|上报|报送|上交|反馈|发送|交(?![流叉往])|报(?![名道])|送|发(?![展现布生挥言扬起动放表出育])|提(?![高升出拔醒到前]))';
/**
 * How or where it goes: 咋交, 怎么提, 往哪报, 交给谁, 送到哪里, 发哪儿; or the way it is handed in, asked
 * as a process (反馈意见要走啥流程, 上报是什么程序, 交材料有哪些手续).
 */
const WAY = new RegExp(
  `(?:怎么|咋|如何|怎样|往哪|到哪|去哪)儿?${HAND_IN}|${HAND_IN}(?:到|给|去|至)?(?:哪(?![些几种类样])|谁)|${HAND_IN}[^，,。？?]{0,6}(?:走|是|有|按)(?:啥|什么|哪些|怎样的?)(?:流程|程序|手续)|(?:啥|什么|哪些|怎样的?)(?:流程|程序|手续)[^，,。？?]{0,4}${HAND_IN}`,
);
/** By when: 截止到啥时候, 最晚几号, 几号前, 哪天之前. */
const WHEN = /截止|最晚|最迟|几号|几月几|啥时候|什么时候|何时|哪天|哪一天|期限|时限/;
/** Whether it must bear a seal or a signature: 要不要盖章, 要盖章吗, 要负责人签字吗, 签字不. */
const SEAL =
  /(?:要不要|需不需要|用不用|得不得|是否|需要|要|得)[^，,。？?]{0,8}?(?:盖章|盖公章|盖个?章|签字|签名|签章)|(?:盖章|盖公章|盖个?章|签字|签名|签章)[^，,。？?]{0,3}(?:吗|么|不|没)/;

/** What a message asks of handing something in: how or where (way), by when, and whether sealed or signed. */
function handInAsked(text: string): { way: boolean; when: boolean; seal: boolean } {
  return { way: WAY.test(text), when: WHEN.test(text) && new RegExp(HAND_IN).test(text), seal: SEAL.test(text) };
}

/**
 * A document's line that says by what day and where something is handed in (于3月26日之前…送至局组织科,
 * 请于10月14日下午5点前…发送至邮箱): what a question asking how, where or by when to hand in wants.
 */
export const handInLine = (text: string) =>
  /\d{1,2}月\d{1,2}[日号]/.test(text) && /(送|报|交|反馈|上传)(至|到)/.test(text);

/** A word of the asking itself (报到, 反馈, 提交, 程序): not what is handed in. */
export const handInWord = (word: string) => new RegExp(`^${HAND_IN}|^(流程|程序|手续)$`).test(word);

/** How many of the hand-in questions (way, by when, seal) a message asks. */
export function handInParts(text: string): number {
  const { way, when, seal } = handInAsked(text);
  return Number(way) + Number(when) + Number(seal);
}

/**
 * Who must sign or seal (要负责人签字吗, 要校长签字吗): part of the seal asked, not a subject of its own
 * (searched as one, 负责人 pulls in every line on 负责人).
 */
const SIGNER = /(?:单位|学校|支部)?(?:主要)?(?:负责人|领导|书记|校长)|单位|学校/g;
/** However a seal or signature is asked for; hand-in lines say it as 盖章 (…审核盖章后, 盖章扫描后发送). */
const SEALED = /盖公章|盖个?章|签字|签名|签章/g;

/** A bare hand-in part as it is searched: the seal in the documents' word, without who signs it. */
export function handInPart(part: string): string {
  return SEAL.test(part) ? part.replace(SIGNER, '').replace(SEALED, '盖章') : part;
}

/** A part asking only how, by when or whether sealed to hand in, of nothing it names (咋交, 截止到啥时候, 要盖章吗). */
export function onlyHandIn(part: string): boolean {
  const rest = handInPart(part)
    .replace(new RegExp(SEAL.source, 'g'), '')
    .replace(new RegExp(WAY.source, 'g'), '')
    .replace(new RegExp(WHEN.source, 'g'), '')
    .replace(new RegExp(HAND_IN, 'g'), '')
    .replace(/[到前之以内呢啊吧呀要得是在的了上去吗么儿\s。！!？?，,]/g, '');
  return rest === '' && (WAY.test(part) || WHEN.test(part) || SEAL.test(part));
}
