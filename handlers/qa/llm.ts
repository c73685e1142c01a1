// Optional: an OpenAI-compatible chat model (DeepSeek, Qwen, a local server) answers from the
// evidence retrieval found (the passages the extractive answer cites, then the next best), told
// what kind of answer the documents allow (direct or only related), citing the passages as [1],
// [2]. A reply that cites a passage it was not given, cites none, states a number no cited
// passage holds, says 文件未涉及, fails or is late is dropped: the extractive answer stands.
// A question the documents do not cover is never handed to the model; mobile numbers and e-mail
// addresses are masked in what it is shown.
import { type Answer, type Citation, citationOf, maskPrivate } from './citation';
import type { Hit } from './retrieve';
import { sentencesOf } from './sentences';

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/** Passages shown to the model at most. */
const MAX_PASSAGES = 5;

const SYSTEM = [
  '你是学校党组织的政策问答助手。只能依据用户给出的编号文件段落回答，不得使用段落以外的任何知识，不得推测或补充。',
  '用简体中文，先用一两句话直接回答，必要时分条列出。每句话末尾用 [编号] 标出依据的段落，例如 [1] 或 [1][2]。',
  '数字、比例、次数、时间只能照段落原文写，不得换算或借用别的规定、年份、地方的数字。',
  '如果几份文件规定不同，分别说明各自的要求并标注编号。段落里没有答案也没有相关规定时，只回答：文件未涉及。',
].join('\n');

const KIND_HINT: Record<'direct' | 'related', string> = {
  direct: '检索判断：段落中有直接回答这个问题的规定（最可能在 [1]）。',
  related:
    '检索判断：段落没有直接规定所问的内容，只有相关规定。请先说“文件没有直接规定……”，再说明相关规定是什么，不要把相关规定当作答案。',
};

/** The passages the model is shown: those the extractive answer cites, then the best of the rest. */
export function evidenceOf(extractive: Answer, hits: Hit[]): Hit[] {
  const cited = extractive.citations.flatMap((c) =>
    hits.filter((h) => h.doc.id === c.docId && h.passage.ord === c.ord).slice(0, 1),
  );
  const rest = hits.filter((h) => !cited.includes(h));
  return [...cited, ...rest].slice(0, MAX_PASSAGES);
}

function prompt(question: string, kind: 'direct' | 'related', passages: Hit[]): string {
  const shown = passages.map(
    (h, i) =>
      `[${i + 1}] 《${h.doc.title}》${h.doc.docNo ? `(${h.doc.docNo})` : ''} ${h.passage.section || '文首'}\n${maskPrivate(h.passage.text)}`,
  );
  return `问题：${question}\n${KIND_HINT[kind]}\n\n文件段落：\n${shown.join('\n\n')}`;
}

/** The numbers a reply cites, or null when it cites one it was not given (or none at all). */
export function citedNumbers(reply: string, given: number): number[] | null {
  const cited = [...reply.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1]));
  if (cited.length === 0 || cited.some((n) => n < 1 || n > given)) return null;
  return [...new Set(cited)].sort((a, b) => a - b);
}

/** Numbers of the reply (besides its [n] marks) that none of the cited passages holds. */
export function unsupportedNumbers(reply: string, cited: Hit[]): string[] {
  const ground = cited.map((h) => h.passage.text.normalize('NFKC')).join('');
  const numbers =
    reply
      .replace(/\[\d{1,2}\]/g, '')
      .normalize('NFKC')
      .match(/\d+(\.\d+)?/g) ?? [];
  return numbers.filter((n) => !ground.includes(n));
}

/** The sentence of a cited passage the reply rests on: the one sharing the most character pairs with it. */
function quoteFor(hit: Hit, reply: string): string {
  const pairs = (s: string) => new Set(Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2)));
  const said = pairs(reply);
  let best = '';
  let most = -1;
  for (const s of sentencesOf(hit.passage.text, hit.passage.kind)) {
    const shared = [...pairs(s)].filter((p) => said.has(p)).length;
    if (shared > most) {
      most = shared;
      best = s;
    }
  }
  return best || hit.passage.text;
}

export async function rewrite(
  cfg: LlmConfig,
  question: string,
  extractive: Answer,
  hits: Hit[],
): Promise<Answer | null> {
  if (extractive.kind === 'none') return null;
  const passages = evidenceOf(extractive, hits);
  if (passages.length === 0) return null;
  let reply: string;
  try {
    const res = await fetch(`${cfg.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.apiKey}` },
      body: JSON.stringify({
        model: cfg.model,
        temperature: 0,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: prompt(question, extractive.kind, passages) },
        ],
      }),
      signal: AbortSignal.timeout(cfg.timeoutMs),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== 'string') return null;
    reply = content.trim();
  } catch {
    return null; // network error, bad JSON or timeout: the extractive answer stands
  }
  if (!reply || reply.includes('文件未涉及')) return null;
  const numbers = citedNumbers(reply, passages.length);
  if (!numbers) return null;
  const cited = numbers.map((n) => passages[n - 1] as Hit);
  if (unsupportedNumbers(reply, cited).length > 0) return null;
  const citations: Citation[] = cited.map((h) => citationOf(h, quoteFor(h, reply)));
  return { kind: extractive.kind, found: true, answer: maskPrivate(reply), citations };
}
