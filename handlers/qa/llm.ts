// Optional: an OpenAI-compatible chat model (DeepSeek, Qwen, a local server) rewrites a found
// answer fluently, strictly from the passages it is given, citing them as [1], [2]. A reply that
// cites a passage it was not given, says nothing, fails or is late is dropped: the extractive
// answer stands. Refusals are never handed to the model.
import type { Answer, Citation } from './citation';

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

const SYSTEM = [
  '你是学校党组织的政策问答助手。只能依据用户给出的编号文件段落回答，不得使用段落以外的任何知识，不得推测或补充。',
  '用简体中文，先用一两句话直接回答，必要时分条列出。每句话末尾用 [编号] 标出依据的段落，例如 [1] 或 [1][2]。',
  '如果几份文件规定不同，分别说明各自的要求并标注编号。段落里没有答案时，只回答：文件未涉及。',
].join('\n');

function prompt(question: string, citations: Citation[]): string {
  const passages = citations.map(
    (c, i) => `[${i + 1}] 《${c.title}》${c.docNo ? `(${c.docNo})` : ''} ${c.section}\n${c.quote}`,
  );
  return `问题：${question}\n\n文件段落：\n${passages.join('\n\n')}`;
}

/** The numbers a reply cites, or null when it cites one it was not given (or none at all). */
export function citedNumbers(reply: string, given: number): number[] | null {
  const cited = [...reply.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1]));
  if (cited.length === 0 || cited.some((n) => n < 1 || n > given)) return null;
  return [...new Set(cited)].sort((a, b) => a - b);
}

export async function rewrite(cfg: LlmConfig, question: string, extractive: Answer): Promise<Answer | null> {
  if (!extractive.found || extractive.citations.length === 0) return null;
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
          { role: 'user', content: prompt(question, extractive.citations) },
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
  const cited = citedNumbers(reply, extractive.citations.length);
  if (!cited) return null;
  return { found: true, answer: reply, citations: cited.map((n) => extractive.citations[n - 1] as Citation) };
}
