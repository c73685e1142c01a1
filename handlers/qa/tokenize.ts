// Chinese text → search terms. Words come from ICU's segmenter (Intl.Segmenter: no native
// add-on, and it exists on Workers too); quoted terms of the documents (“三会一课”) are kept
// whole; character bigrams catch typos and words the segmenter cuts differently.

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Words too common to help retrieval (they stay in the text; they only do not score). */
export const STOPWORDS = new Set(
  '的 了 和 与 及 或 等 在 是 为 对 把 将 要 由 从 向 以 于 之 其 这 那 也 都 并 而 被 让 给 就 还 又 有 个 中 上 下 各 每 我 你 他 她 们 我们 你们 吗 呢 吧 啊 呀 嘛 么 请问 请 一下 什么 怎么 怎样 如何 哪些 哪个 哪 多少 几 是否 是不是 有没有 能不能 可以 需要 应该 应当 必须 关于 对于 以及 进行 开展 工作 相关 问 想 知道 一个 这个 那个 里 里面 方面 情况 要求 规定 按照'.split(
    ' ',
  ),
);

/** Chat fillers: words people add to a question that say nothing about its subject. */
export const FILLERS = new Set(
  '咋 咋样 啥 啥样 样 得 着 了 过 嘛 哦 哈 噢 呗 咱 咱们 俺 这块 那块 这边 那边 这里 那里 一块 一起 具体 具体点 详细 大概 大约 左右 到底 究竟 其实 比如 比方 还有 另外 别的 其他 其它 以及 说的 说 讲讲 讲一下 说说 展开 解释 告诉 问问 问一下 想问 想问下 想知道 了解 知道 麻烦 谢谢 您好 你好 老师好 请教 帮忙 帮我 查 查一下 看看 看一下 整理 一下子 现在 已经 目前 最近 马上 快 快要 到了 刚 刚刚 然后 之后 以后 后来 出来 起来 下来 上了 拿 拿出 搞 弄 干 做 干啥 会不会 能否 可否 是否 要不要 算不算 有没有 是不是 行不行 对不对 挺好 不错 还行 只有 只是 就是 才能 才 再 又 也 都 还 更 很 挺 太 最 真 好像 似乎 应该是 估计 一样 不同 区别 差别 侧重 侧重点 重点是 主要是 到底是 分别 各个 各自 各 哪一 哪一个 哪一档 哪档 多大 多久 多长 多少 几 几个 几次 什么样 怎么样 如何 怎么 为啥 为什么 理解 意思 含义 情况 方面 东西 事 事情 事儿 问题 定成 算下来 算 够 安排 时候 啥时候 还是 一共 总共 说法 自己 程度 一回 一趟 一下 完了 满了 快满了 搞些 要到 不太 各有 都是 整个 听说 强调 路子 打算 计划 一回事 又要 并且 坚持下去 来讲 不是 去年 不到 要有 搞错 上面 下面 底线 一大块 后面 前面 里头 守住 各是 能写 当成 就算 出去 天内 正要 还给 才算 咋样 咋整 咋弄 咋办 咋规定 啥样 咋说 怎么说 讲 提 提点 想提 迎检 确认 确认下 一般 通常 平时 主要 大概是 都要 得要 要不 不要 需不需要 用不用 必须 是啥 指啥 指的啥 啥叫 不看 分步 一步 每一步 步走 每步 几步走 时间段 节点 流程 整个流程 一次 一回 一趟 我想 我想问 想先 先 下周 上周 本周 这周 下个月 上个月 明天 今天 昨天 来着 叫啥 分成 分为 大块 几大块 我们学校 我校 本校 我们支部 都能 能不能 搞些 那边 这边 的是 是个 做到 达到 要是 如果 万一 办法 感觉 觉得'.split(
    ' ',
  ),
);

const CJK_RUN = /[\u3400-\u9fff]+/g;

export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** ICU words, without punctuation and stopwords (and, for a question, chat fillers). */
export function words(text: string, question = false): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(normalise(text))) {
    if (!s.isWordLike) continue;
    const w = s.segment.trim();
    if (w && !STOPWORDS.has(w) && !(question && FILLERS.has(w))) out.push(w);
  }
  return out;
}

/** Where ICU puts word boundaries in `text` (offsets; 0 and its length included). */
export function boundaries(text: string): Set<number> {
  const out = new Set([0, text.length]);
  for (const s of segmenter.segment(text)) out.add(s.index).add(s.index + s.segment.length);
  return out;
}

/**
 * `text` holds `word` as whole words (联络|点) or inside one (支部 in 党支部), not straddling a
 * word boundary (党纪 in 共产|党|纪律), unless the text read from where the word starts begins with
 * it: the segmenter cut it off only by joining its first character to the one before (向上|级党组织
 * is 向|上级|党组织).
 */
export function holdsWord(text: string, word: string, bounds: Set<number>): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const end = i + word.length;
    if (bounds.has(i) && bounds.has(end)) return true;
    let inner = false;
    for (let k = i + 1; k < end && !inner; k++) inner = bounds.has(k);
    if (!inner) return true;
    if (!bounds.has(i) && bounds.has(end) && firstWord(text.slice(i, end + RESEGMENT)) === word) return true;
  }
  return false;
}

/** Characters after a word read again with it to see where the segmenter ends it. */
const RESEGMENT = 4;

function firstWord(text: string): string {
  for (const s of segmenter.segment(text)) return s.segment;
  return '';
}

/** Overlapping character pairs of each run of Chinese characters. */
export function bigrams(text: string): string[] {
  return gramRuns(text).flat();
}

/** Between the runs of an indexed text: a token no pair equals, so a phrase cannot span two runs. */
export const RUN_BREAK = '丨';

/** The bigrams as stored in the index: runs kept apart, so that 总分90分以上 holds no 总分以上. */
export function indexedGrams(text: string): string {
  return gramRuns(text)
    .map((run) => run.join(' '))
    .join(` ${RUN_BREAK} `);
}

function gramRuns(text: string): string[][] {
  return (normalise(text).match(CJK_RUN) ?? []).map((run) =>
    Array.from({ length: Math.max(0, run.length - 1) }, (_, i) => run.slice(i, i + 2)),
  );
}

/** Terms a document puts in quotation marks are names of things: 三会一课, 一岗双责, 五个一. */
export function quotedTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of normalise(text).matchAll(/[“"「]([^”"」]{2,12})[”"」]/g)) {
    const term = (m[1] as string).replace(/\s/g, '');
    if (/[\u3400-\u9fff]/.test(term) && !/[，。；、]/.test(term)) out.push(term);
  }
  return out;
}

/** The terms of a dictionary that occur in a text, longest first where they overlap. */
export function dictionaryTerms(text: string, dictionary: ReadonlySet<string>, maxLen = 12): string[] {
  const t = normalise(text).replace(/\s/g, '');
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    for (let len = Math.min(maxLen, t.length - i); len >= 2; len--) {
      const w = t.slice(i, i + len);
      if (dictionary.has(w)) {
        out.push(w);
        break;
      }
    }
  }
  return out;
}
