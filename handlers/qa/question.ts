// What a question asks for. Retrieval scores cannot tell an unanswerable question (it often uses
// the documents' own words), so the answer must show what was asked: a number, a frequency, a
// time, a definition, a list, a comparison.
import { addressesOnly, broadPlacesIn, countiesIn, encloses } from './places';
import { SYNONYMS } from './synonyms';
import { dictionaryTerms, normalise, words } from './tokenize';

export type Need = 'number' | 'frequency' | 'time' | 'definition' | 'list' | 'who' | 'steps';

export interface Concept {
  /** The word the user wrote. */
  word: string;
  /** Document words that count as it (the word itself first). */
  forms: string[];
}

export interface Question {
  raw: string;
  /** Normalised: half-width, lower case, slips corrected, no spaces. */
  text: string;
  needs: Need[];
  comparison: boolean;
  /** The term asked about: to be defined, or to be listed (哪五个不分管). */
  term: string | null;
  /** What an answer's number must count, as a pattern (几年 → years): null when any number does. */
  unit: RegExp | null;
  /** The bound a quantity question asks for: the most allowed (最多, 上限) or the least required (至少). */
  bound: 'max' | 'min' | null;
  /** What a list asked for is of, and the counter it is counted by (哪几块阵地: 块, 阵地). */
  listHead: { counter: string; noun: string } | null;
  /** The noun of the thing asked for (什么处分 → 处分, 哪些活动 → 活动): what an answer must give. */
  askedNoun: string | null;
  /** Places named that loaded documents are from (固原, 天宁). */
  places: string[];
  /** Names that look like other places (兴庆区): the knowledge base decides whether they are. */
  placeLike: string[];
  /** Documents' places the member rules out (不是瑞安那个): never the place asked, in any part of the message. */
  excluded: string[];
  /** Years asked about (2021, 2030; 25年 is 2025). */
  years: string[];
  concepts: Concept[];
}

/** The noun after 什么 / 啥 / 哪种 (该给什么处分 → 处分): the kind of thing asked for. */
function kindAsked(text: string): string | null {
  const m = text.match(/(?:什么|啥|哪种|哪类|何种)(?!时候|时间|意思|样)/);
  if (!m) return null;
  const after = text.slice((m.index ?? 0) + m[0].length).split(/[，,。？?！!；;、]/)[0] as string;
  const noun = words(after)[0];
  return noun && noun.length >= 2 && after.startsWith(noun) ? noun : null;
}

/**
 * 哪几块阵地, 哪些文件: the counter and the noun (a word of its own, the last of the first two after
 * it: 哪几个党建品牌 is of 品牌) a list question asks for; 都是哪几块 names its noun where the
 * question counted it before (守住好几块意识形态阵地，都是哪几块).
 */
function listHeadOf(text: string): { counter: string; noun: string } | null {
  const heads = [
    ...text.matchAll(/(哪些|哪几|哪[一二三四五六七八九十两]+|几)([个块项类种条名位所支张份栏件本部])?/g),
  ].map((m) => {
    const after = text.slice((m.index ?? 0) + m[0].length).split(/[，,。？?！!；;、]/)[0] as string;
    const noun = words(after)
      .slice(0, 2)
      .filter((w) => w.length >= 2 && after.includes(w))
      .at(-1);
    return { asks: m[1] !== '几', counter: m[2] ?? '', noun, at: m.index ?? 0, last: after === '' };
  });
  const asked = heads.find((h) => h.asks);
  if (!asked) return null;
  const noun =
    asked.noun ??
    heads.find((h) => h.noun && h.counter && h.counter === asked.counter)?.noun ??
    (asked.counter && asked.last ? nounBefore(text.slice(0, asked.at)) : undefined);
  return noun ? { counter: asked.counter, noun } : null;
}

/** The noun a counted list question ending in its asking names before it (意识形态阵地有哪几块, 阵地到底要守哪几块 → 阵地). */
function nounBefore(before: string): string | undefined {
  const clause = (before.split(/[，,。？?！!；;、]/).at(-1) as string).replace(
    /(到底|究竟|一共|总共|都|需要|应该|要|得|有|是|分为?|包括|包含|守住?|抓|盯|管|搞|做)+$/,
    '',
  );
  const noun = words(clause).at(-1);
  return noun && noun.length >= 2 && clause.endsWith(noun) && !QUALIFIERS.has(noun) ? noun : undefined;
}

/**
 * Words that qualify how much, how often or how soon, not what about (至少, 每年, 提前): what is
 * asked is read from them (needs), and they weigh little in what a passage holds of the question.
 * (A sentence sharing only such a word, 提前6个月通知 for 能提前转正吗, is about something else.)
 */
export const QUALIFIERS = new Set(
  '至少 最少 最低 起码 不少于 不低于 不能少于 最多 不超过 最晚 最迟 一年 每年 今年 年内 全年 每月 学期 每学期 季度 每季度 每周 定期 一次 多次 以上 以下 左右 具体 分别 主要 重点 统一 明确 相关 有关 正式 专门 全体 全部 所有 硬性 争取 必须 一定 提前 推迟 延迟 延后 延期 尽快 尽早 按时 准时 及时'.split(
    ' ',
  ),
);

/** Words naming what a quantity counts in (比例, 学时): the need reads them; they weigh little too. */
export const MEASURES = new Set(
  '比例 占比 百分比 百分 比重 权重 分值 分数 满分 得分 学时 课时 小时 次数 频次 时间 期限 时限 截止 人数 名额 天数 年限 金额 标准 数量 指标'.split(
    ' ',
  ),
);

/**
 * Place names the question gives (a county or district by its full name: 兴庆区, 红寺堡区; a province
 * or city by its short name: 上海, 深圳) that are none of the documents' places, nor hold one (宁夏
 * holds 固原). Only names of the national list: 有啥区别, 我们区 name no place.
 */
function placeNames(text: string, known: readonly string[]): string[] {
  const out = new Set<string>();
  // A county or district inside a document's place (武进区 in 常州) is that document's.
  for (const name of countiesIn(text)) {
    if (!known.some((p) => name.includes(p) || encloses(p, name))) out.add(name);
  }
  for (const name of broadPlacesIn(text)) {
    if (known.some((p) => encloses(name, p)) || [...out].some((o) => o.startsWith(name))) continue;
    out.add(name);
  }
  return [...out];
}

/**
 * The member rules a place out: 不是瑞安那个, 不要瑞安的, 除了瑞安, 别拿瑞安的 (not 是不是瑞安的, 要不要).
 */
function excludes(text: string, place: string): boolean {
  return new RegExp(`(?:(?<![是])不是|(?<![要])不要|除了|除去|别拿|别用|不看|不算)[^，,。？?！!]{0,2}${place}`).test(
    text,
  );
}

/** Years a question asks about: 2021, 2030年, and 22年、25年 (twenty-…). */
function yearsOf(text: string): string[] {
  const full = [...text.matchAll(/(?<!\d)(19\d\d|20\d\d)(?!\d)/g)].map((m) => m[1] as string);
  const short = [...text.matchAll(/(?<![\d.])([1-4]\d)年(?![内以来间后前]|左右)/g)].map((m) => `20${m[1]}`);
  return [...new Set([...full, ...short])];
}

const NEEDS: [Need, RegExp][] = [
  [
    'frequency',
    /多久|多长时间|多少次|几次|几回|频率|频次|每(年|月|季|学期|半年|周).{0,3}(几|多少)|隔多|多少回|一年.{0,4}(几|多少)|间隔/,
  ],
  [
    'number',
    /多少|几(个|名|人|分|项|期|节|课时|学时|成|年|月|天|次)|比例|百分之|占比|不低于|不少于|至少|最低|最少|最多|上限|下限|多高|多大|几分|分值|满分|总分|得分|怎么算分|权重|比重|占多|数量(要求|规定|上|有)|硬性?指标|硬杠杠/,
  ],
  [
    'time',
    /什么时候|啥时候?|何时|几时|几月|哪一?个?月|几号|几日|几点|哪天|截止|之前完成|期限|时限|时间节点|提前多久|什么时间|哪个阶段|哪一年|时间安排/,
  ],
  [
    'definition',
    /什么是|什么叫|何为|是什么意思|什么意思|啥意思|指什么|指的是|指的啥|指啥|啥叫|是个啥|含义|定义|什么算|怎么算|算不算|是指|具体指|啥是|是啥|是什么$|解释/,
  ],
  // (每年都要发展一个 asks whether a requirement per period holds, not for a list.)
  [
    'list',
    /哪些|哪几|哪[一二三四五六七八九十\d]+|有什么|包括|包含|都有|几个方面|列举|(?<!每个?(?:年|月|季度?|学期|半年|周))都要/,
  ],
  // Stages and timelines too: 每一年是什么阶段, 分哪几个时间节点, 先干啥后干啥, 每年分别干啥, 三年各干什么.
  [
    'steps',
    /步骤|流程|程序|几步|步走|阶段|时间节点|时间表|路线图|进度|怎么走|具体怎么做|怎么操作|先.{0,6}(后|再|然后)|(每一?|[一二两三四五六七八九十\d]+个?)(年|步|学期|阶段)[^，,。？?]{0,4}((干|做|搞|抓)(啥|什么|些啥|些什么|哪些)|重点|任务)/,
  ],
  ['who', /谁|哪位|由谁|哪个部门|哪个领导|哪个科|负责人是/],
];

/** Asked whether two things are alike (一样不, 相同吗): a comparison when two places are named. */
const SAME = /一样|相同|一致|相似|差不多/;

/** What 是啥 / 是什么 may ask for other than what a thing is (是啥频率, 是什么标准). */
const ASKED_AFTER = '频率|频次|时候|时间|比例|标准|要求|程序|流程|阶段|级别|等级|档次|分数|条件';

const COMPARISON =
  /各(地|个?文件|单位|个地方)|分别|有(什么|啥|何|哪些)(不同|不一样)|区别|差别|不[太大]?一样|比较|对比|各自|哪个(地方|文件)|几个(地方|单位)?的?文件|不同文件|都怎么/;

/** Words that say what kind of answer is wanted, not what it is about. */
const ASKING =
  /那几[个张份项条]|几[张份]|整理一?下?材料|写材料|都?包括|都?包含|都有|哪一?年|哪个月|哪一?天|介绍一?下|分?哪?几步走?|分几个阶段|时间段|啥时间|什么时间|[哪几]几?[个所项条种类块位名家件]|哪类人|哪些人|什么人|哪一?类|哪一?种|什么是|什么叫|是什么意思|什么意思|啥意思|是什么|指什么|指的是|含义|定义|什么算|怎么算|算不算|是指|具体指|啥是|是啥|多久|多长时间|多少次|几次|几回|频率|频次|多少|几个|几名|几项|几分|哪些|哪几|有什么|有没有|是不是|是否|要不要|能不能|可不可以|什么时候|何时|几月|哪天|请问|一下|呢|吗|吧|啊|呀|怎么办|怎么|如何|怎样|谁|哪位|由谁|各地|分别|有什么不同|区别|差别|不一样|比较|对比|各自|文件里|文件中|文件|规定|要求|里面|里/g;

/** A document referred to as where something is said (方案里, 那个文件上说), not as what is asked about. */
const DOCUMENT_REF = /(那个|这个|的)?(方案|通知|意见|要点|文件|办法|征求意见稿)(里|中|上)(面|头)?(说|讲|提|写)?的?/g;

/** Whose rule a question goes by (按天宁的做法, 照固原的要求, 根据建始的规定): where to look, not what is asked about. */
const SOURCE_REF = /(?:按照?|照着?|依照|参照|根据)[^，,。？?]{0,8}?的(?:做法|规定|要求|说法|口径)/g;

/** Words asking a share: 比例, 百分之几, 几个点, 几成, 占多少, 轮训率要达到多少. */
export const SHARE_ASKED = /比例|百分之|占比|百分比|权重|比重|占多少|率.{0,4}(多少|几)|(几|多少)个(百分)?点|几成/;

// (A year, 2023年, is no count of years.)
const N = '(?:(?<![\\d.])\\d{1,3}|[一二两三四五六七八九十百半]+)';
/** The unit a quantity question asks for (几年, 多少学时, 什么比例) and how a sentence states it. */
const UNITS: [RegExp, RegExp][] = [
  [/(几|多少)个?月/, new RegExp(`${N}个?月`)],
  [/(几|多少)(名|人|位)/, new RegExp(`${N}(名|人|位)`)],
  [/(几|多少)分(?!钟)/, new RegExp(`${N}(\\.\\d+)?分`)],
  [/(几|多少)(课时|学时|小时)/, new RegExp(`${N}(课时|学时|小时)`)],
  [/(几|多少)(次|回)/, new RegExp(`${N}次|每(年|月|季度?|学期|半年|周)`)],
  // 几年一次 is answered by 每年 too; 分几年搞, 搞几年 only by a span of years (每年年底 is when, not how long).
  [/(几|多少)年.{0,3}一?[次回届]/, new RegExp(`${N}年|每年|年度`)],
  [/(几|多少)年/, new RegExp(`${N}年`)],
  [/(几|多少)(天|日)/, new RegExp(`${N}(天|日|个工作日)`)],
  [/(几|多少)(所|家)/, new RegExp(`${N}(所|个|家|校)`)],
  // (多长时间…一次 asks how often: a frequency answers it.)
  [/多长时间(?!.{0,8}一[次回])|多长(?!.{0,8}一[次回])/, new RegExp(`${N}个?(月|年|天|周|日|小时|学时|课时)`)],
  // Each counter by itself: 多少岁 asks an age, and 培训班1期 is none.
  [/(几|多少)期/, new RegExp(`${N}期`)],
  [/(几|多少)届/, new RegExp(`${N}届`)],
  [/(几|多少)周?岁/, new RegExp(`${N}周?岁`)],
  [/(几|多少)节/, new RegExp(`${N}节`)],
  // 分几档 is answered by the grades themselves or by their count.
  [/(几|多少)(档|个等级|个档次|等次|类)/, new RegExp(`${N}(档|级|等|类)|优秀|合格|先进|较好|后进`)],
  // (…率要达到多少 asks a share too: 轮训率, 参训率; so do 几个点, 几成, 百分之几.) A share is given
  // as one: 1%, 百分之一, 三成, 三分之一 (a sum, 6552, is none).
  [SHARE_ASKED, /%|‰|百分之|千分之|[一二三四五六七八九]成|[一二三四五六七八九十\d]分之/],
];

function unitAsked(text: string): RegExp | null {
  return UNITS.find(([asks]) => asks.test(text))?.[1] ?? countedUnit(text);
}

/** People are counted by 名, 人, 位 as well as 个. */
const PERSON = '党员|教师|老师|书记|干部|委员|成员|人员|同志|积极分子|骨干|人';
const PEOPLE = new RegExp(`^[\\u4e00-\\u9fff]{0,3}?(${PERSON})`);

/**
 * 几个党员, 多少个示范点: a number counts what the question names, with the counter, the noun soon
 * after it (创建3-5个党建示范点), or people by any of their counters (发展一名优秀青年教师).
 */
function countedUnit(text: string): RegExp | null {
  // (那几个附件 points at them: it asks no number.)
  const m = text.match(/(?<![那这哪])(?:几|多少)(个|名|位|所|项|条|类|种|块|本|篇|家|支|批)/);
  if (!m) return null;
  const after = text.slice((m.index ?? 0) + m[0].length);
  if (PEOPLE.test(after)) return new RegExp(`${N}(名|人|位)|${N}个[^，。；：,;:]{0,8}?(${PERSON})`);
  const [noun] = words(after);
  if (!noun || !after.startsWith(noun)) return null;
  if (noun.length < 2) return null;
  return new RegExp(`${N}${m[1]}[^，。；：,;:]{0,8}?${noun}`);
}

const MAX_ASKED = /最多|上限|不超过|不得超过|封顶|顶多|至多|最高(不|能|可以)/;
const MIN_ASKED = /至少|最少|最低|起码|下限|不低于|不少于|不能少于|保底/;

function boundAsked(text: string): 'max' | 'min' | null {
  const max = MAX_ASKED.test(text);
  const min = MIN_ASKED.test(text);
  return max === min ? null : max ? 'max' : 'min';
}

/** What a question is about, before it is matched against the knowledge base's vocabulary. */
/** Between the token runs of a question: pieces never join across it. */
export const TOKEN_BREAK = '|';

export interface QuestionDraft extends Omit<Question, 'concepts'> {
  /** Dictionary terms and synonym keys found whole. */
  terms: string[];
  /** The segmenter's words for the rest, in order, runs separated by TOKEN_BREAK. */
  tokens: string[];
}

export function analyse(raw: string, dictionary: ReadonlySet<string>, places: readonly string[]): QuestionDraft {
  const text = nearTerms(countedTerms(normalise(raw).replace(/\s+/g, ''), dictionary), dictionary);
  // 哪几个 asks for a list and 几个文件 for a comparison, not for a number: quantities are read without them.
  const forQuantity = text.replace(/哪几[个项条种类块]?|哪些|(几|各)个?(文件|地方|单位)/g, '');
  // 有什么不同 asks for a comparison, not a list.
  const forList = text.replace(/有(什么|啥)(不同|不一样|区别|差别|差异)/g, '');
  // 是啥频率, 是什么时候 ask the frequency or the time, not what a thing is.
  const forDefinition = text.replace(new RegExp(`是(啥|什么)(?=${ASKED_AFTER})`, 'g'), '');
  const needs = NEEDS.filter(([n, re]) =>
    re.test(
      n === 'number' || n === 'frequency'
        ? forQuantity
        : n === 'list'
          ? forList
          : n === 'definition'
            ? forDefinition
            : text,
    ),
  ).map(([n]) => n);
  // A place the member rules out (不是瑞安那个，是温州市的) is not asked of: the documents' places are
  // the others, and a city holding only the one ruled out names a place no document is from.
  const excluded = places.filter((p) => excludes(text, p));
  const open = excluded.length ? places.filter((p) => !excluded.includes(p)) : places;
  // A province or city named by its short name (宁夏 holds 固原 and 金凤) names the documents' places in it.
  const broad = broadPlacesIn(text);
  // (银川 in 银川市兴庆区 is the district's address: it does not name 金凤, the place 银川 holds.)
  const addresses = addressesOnly(broad, text);
  const holding = broad.filter(
    (b) => !places.includes(b) && !addresses.includes(b) && open.some((p) => encloses(b, p)),
  );
  const mentioned = open.filter((p) => text.includes(p) || holding.some((b) => encloses(b, p)));
  // (常州天宁 names one place: a place named with one inside it is that one's address.)
  const said = open.filter((p) => text.includes(p));
  // (A province names each place it holds, 宁夏 固原 and 金凤; 江苏 names 天宁, of which 常州 is the address.)
  const held = open.filter((p) => !said.includes(p) && holding.some((b) => encloses(b, p)));
  const most = (ps: string[]) => ps.filter((p) => !ps.some((o) => o !== p && encloses(p, o))).length;
  // (…unless the question points at one document of them: 宁夏那个品牌方案.)
  const named = most(said) + (/[那这][个份]/.test(text) ? Math.min(1, held.length) : most(held));
  const placeLike = placeNames(text, open).filter((p) => !excluded.includes(p));
  // 兴庆区的要点跟金凤的一样不: two places, asked whether they rule alike.
  const comparison = COMPARISON.test(text) || named >= 2 || (SAME.test(text) && named + placeLike.length >= 2);
  const term =
    needs.includes('definition') || needs.includes('list') || needs.length === 0 ? definedTerm(text, dictionary) : null;

  // What a list is of (哪几块阵地, 哪些文件): its subject, even where the word is one that asks.
  const listHead = listHeadOf(text);
  // The subject: without the words that ask, the words that point into a document (固原的方案里,
  // 那个文件上说), and the places that name a document.
  let rest = text.replace(DOCUMENT_REF, ' ').replace(SOURCE_REF, ' ').replace(ASKING, ' ');
  if (listHead && !rest.includes(listHead.noun)) rest = `${rest} ${listHead.noun}`;
  for (const p of [...places, ...broad].sort((a, b) => b.length - a.length))
    rest = rest.replace(new RegExp(`${p}[市县区省州]?`, 'g'), ' ');
  const terms: string[] = [];
  for (const t of dictionaryTerms(rest, dictionary)) {
    terms.push(t);
    rest = rest.split(t).join(' ');
  }
  for (const key of Object.keys(SYNONYMS).sort((a, b) => b.length - a.length)) {
    if (key.length < 2 || !rest.includes(key)) continue;
    // The user wrote the documents' longer word (民办学校 for the key 民办): that word is the term.
    const whole = (SYNONYMS[key] ?? []).filter((f) => f.startsWith(key) && rest.includes(f));
    const term = whole.sort((a, b) => b.length - a.length)[0] ?? key;
    terms.push(term);
    rest = rest.split(term).join(' ');
  }
  // Pieces on either side of punctuation never join into one word (学校，党|费); across a word that
  // asks they may (发展|几个|党员 → 发展党员).
  const tokens = rest
    .split(/[,，。.？?！!；;：:、]+/)
    .flatMap((clause) => [
      ...clause
        .split(/\s+/)
        .filter(Boolean)
        .flatMap((part) => words(part, true)),
      TOKEN_BREAK,
    ])
    // 几期, 多少人, 第几, 五大(块): the asking or counting part of a quantity, not its subject.
    .filter(
      (w) =>
        !/^(几|多少|第几|哪)/.test(w) &&
        // …but a number of three or more digits is a name (“12345”工作思路) or a year.
        (/^\d{3,}$/.test(w) || !/^[一二三四五六七八九十两\d]+(大|个|块|项|条|类|种|支|所|名|位|件|批)?$/.test(w)),
    );
  // 第18条: the item of that number in a numbered list or table.
  const item = text.match(/第\s*(\d{1,2})\s*[条项点]/);
  if (item) terms.push(`第${item[1]}条`);
  return {
    raw,
    text,
    needs,
    comparison,
    term,
    terms,
    tokens,
    unit: unitAsked(forQuantity),
    bound: boundAsked(forQuantity),
    listHead,
    askedNoun: listHead?.noun ?? kindAsked(text),
    places: mentioned,
    placeLike,
    excluded,
    years: yearsOf(text),
  };
}

/**
 * A word counted and quoted (五条“好”, 四个“有”, 那几项“严”) is the documents' coined term of the count and
 * the word (“五好”, “四有”) where they use one: the term is what the question asks for.
 */
function countedTerms(text: string, dictionary: ReadonlySet<string>): string {
  return text.replace(
    /([一二两三四五六七八九十])[条个项种大]?的?([“"])([^”"]{1,4})([”"])/g,
    (all, n, open, word, close) => (dictionary.has(`${n}${word}`) ? `${open}${n}${word}${close}` : all),
  );
}

/**
 * A slip of one character in a term the documents name (一键挑 for “一肩挑”, 三亮三比一挣优): the
 * term. Only terms of three or more characters, inside the term, never in a number (四强化 ≠ 五强化).
 */
function nearTerms(text: string, dictionary: ReadonlySet<string>): string {
  let out = text;
  // Terms the text holds as written are no slips (五年行动 of “两基提升五年行动” is not 五大行动).
  const held = dictionaryTerms(text, dictionary);
  for (const term of dictionary) {
    if (term.length < 3 || out.includes(term)) continue;
    for (let i = 0; i + term.length <= out.length; i++) {
      // The slip is inside the term: its first and last characters are the term's.
      if (out[i] !== term[0] || out[i + term.length - 1] !== term[term.length - 1]) continue;
      const piece = out.slice(i, i + term.length);
      if (held.some((h) => h.includes(piece))) continue;
      let diff = -1;
      for (let k = 0; k < term.length; k++) {
        if (piece[k] === term[k]) continue;
        diff = diff === -1 ? k : -2;
        if (diff === -2) break;
      }
      // Inside the term only: at its edges the slip is more likely a neighbouring word (要培养 ≠ 双培养).
      if (diff <= 0 || diff === term.length - 1) continue;
      const a = piece[diff] as string;
      const b = term[diff] as string;
      if (!/[\u3400-\u9fff]/.test(a) || NUMERAL.test(a) || NUMERAL.test(b)) continue;
      out = out.slice(0, i) + term + out.slice(i + term.length);
      break;
    }
  }
  return out;
}

const NUMERAL = /[一二两三四五六七八九十百千\d]/;

export function conceptOf(word: string): Concept {
  const item = word.match(/^第(\d{1,2})条$/);
  if (item) return { word, forms: [`${item[1]}．`, `${item[1]}.`, `${item[1]}、`] };
  return { word, forms: [...new Set([word, ...(SYNONYMS[word] ?? [])])] };
}

/** The term a definition question asks about: a quoted term of the documents, or the words before 是什么. */
function definedTerm(text: string, dictionary: ReadonlySet<string>): string | null {
  const inDict = dictionaryTerms(text, dictionary);
  if (inDict.length > 0) return inDict.sort((a, b) => b.length - a.length)[0] ?? null;
  const m =
    text.match(/(?:什么是|什么叫|何为|啥是)[“"]?([^“”"？?，。]{2,12})/) ??
    text.match(
      /[“"]?([^“”"？?，。]{2,12}?)[”"]?(?:是什么意思|什么意思|啥意思|指什么|指的是|是指|是什么|是啥|的含义|的定义|怎么算|算不算|什么算)/,
    );
  return m?.[1] ?? null;
}
