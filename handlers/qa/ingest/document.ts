// A policy document read into what the bot cites: its metadata (title, issuer, 文号, date) and
// passages of 80–250 characters, each with the section path it stands under.
import { type Block, toBlocks } from './blocks';
import { type Heading, HeadingStack, markerOf, sectionLabel, shortTitle } from './headings';

export interface DocumentMeta {
  title: string;
  issuer: string;
  docNo: string | null;
  date: string | null;
}

export interface Passage {
  /** Position in the document, from 0. */
  ord: number;
  /** The section as cited: `三、(二) 六是 二、领导联系基层`. */
  section: string;
  /** The full titles of the headings above, for retrieval. */
  headings: string[];
  text: string;
  kind: 'text' | 'row' | 'form';
}

export interface ParsedDocument {
  meta: DocumentMeta;
  passages: Passage[];
}

const MIN = 80;
const MAX = 250;
const LABEL = /^(说明|附件|名词解释|填表说明|备注|附则)[：:]$/;
const DOC_NO = /([\u4e00-\u9fff]{1,10})\s*[〔［[(（]\s*(\d{4})\s*[〕］\])）]\s*(\d{1,4})\s*号/;
const FULL_DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const ISSUER = /^((?:中共|中国共产党)?[\u4e00-\u9fff]{2,30}?(?:工作委员会|委员会|党工委|工委|党委))(?:文件)?$/;
const TITLE_END = /(方案|通知|意见|要点|办法|规定|决定|细则|计划|报告|标准)(（[^）]{1,10}）)?$/;

function headingOf(block: Block): Heading | null {
  if (block.kind === 'group') return { type: 'group', n: 0, marker: '', title: block.title, md: false };
  if (block.kind !== 'para') return null;
  const label = block.text.match(LABEL);
  if (label) return { type: 'label', n: 0, marker: '', title: label[1] as string, md: block.md };
  const m = markerOf(block.text);
  if (!m) return null;
  return { type: m.type, n: m.n, marker: m.marker, title: shortTitle(m.rest), md: block.md };
}

/** Splits a long text at sentence ends into pieces of at most MAX characters. */
function sentencesPacked(text: string): string[] {
  if (text.length <= MAX) return [text];
  const sentences = text.match(/[^。！？；]+[。！？；]?/g) ?? [text];
  const out: string[] = [];
  let cur = '';
  for (const s of sentences) {
    if (cur && cur.length + s.length > MAX) {
      out.push(cur);
      cur = '';
    }
    if (s.length > MAX) {
      // One very long sentence: cut after the last comma that keeps a piece within MAX.
      let rest = s;
      while (rest.length > MAX) {
        const cut = Math.max(rest.lastIndexOf('，', MAX), rest.lastIndexOf('、', MAX));
        const at = cut > MIN ? cut + 1 : MAX;
        if (rest.length - at < MIN) break; // a short tail stays with its sentence
        out.push(rest.slice(0, at));
        rest = rest.slice(at);
      }
      cur = rest;
    } else {
      cur += s;
    }
  }
  if (cur) out.push(cur);
  return out;
}

export function parseDocument(raw: string, fallbackTitle = ''): ParsedDocument {
  const blocks = toBlocks(raw);
  const meta = readMeta(blocks, fallbackTitle);
  let stack = new HeadingStack();
  const passages: Passage[] = [];
  let section = '';
  let headings: string[] = [];
  let buffer: string[] = [];

  const emit = (text: string, kind: Passage['kind'] = 'text') =>
    passages.push({ ord: passages.length, section, headings, text, kind });
  const flush = () => {
    let cur = '';
    for (const piece of buffer.flatMap(sentencesPacked)) {
      if (cur && cur.length >= MIN && cur.length + piece.length > MAX) {
        emit(cur);
        cur = '';
      }
      cur += cur ? `\n${piece}` : piece;
    }
    if (cur) emit(cur);
    buffer = [];
  };

  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as Block;
    if (block.kind === 'para' && isFrontMatter(block.text, meta)) {
      // The title opens the body: a notice's attachment list above it is not its parent.
      if (block.text.replace(/\s/g, '') === meta.title.replace(/\s/g, '')) {
        flush();
        stack = new HeadingStack();
        section = '';
        headings = [];
      }
      continue;
    }
    const heading = headingOf(block);
    if (heading) {
      flush();
      const next = blocks[i + 1];
      // An attachment's title is the short line after 附件N：.
      if (heading.type === 'attachment' && !heading.title && next?.kind === 'para' && next.text.length <= 40) {
        if (!/[。；]/.test(next.text) && !markerOf(next.text)) {
          heading.title = next.text;
          i++;
        }
      }
      stack.enter(heading);
      section = sectionLabel(stack.path);
      headings = stack.path.map((h) => `${h.marker}${h.title}`);
      // A run-in heading carries text of its own: it opens the section's first passage.
      if (block.kind === 'para') {
        const m = markerOf(block.text);
        const body = m ? m.rest : '';
        if (body.length > heading.title.length + 2 || /[。；！？]$/.test(body)) buffer.push(block.text);
      }
      continue;
    }
    if (block.kind === 'row') {
      flush();
      // A row under a merged group cell carries the group, as a reader of the table sees it.
      const group = stack.path[stack.path.length - 1];
      const attachment = stack.path[0]?.type === 'attachment' ? stack.path[0].title : '';
      // The outline of a sheet names the sheet, as its attachment heading does.
      const text = attachment ? block.text.replace(/^本表/, `《${attachment}》`) : block.text;
      emit(group?.type === 'group' ? `${group.title}：${text}` : text, 'row');
    } else if (block.kind === 'form') {
      flush();
      // A filled-in form is about the one branch it names: every passage of it carries the name.
      const subject = formSubject(block.text);
      const own = subject ? [...headings, subject] : headings;
      for (const piece of sentencesPacked(block.text))
        passages.push({ ord: passages.length, section, headings: own, text: piece, kind: 'form' });
    } else if (block.kind === 'para') {
      buffer.push(block.text);
    }
  }
  flush();
  return { meta, passages };
}

/** The branch or school a filled-in form is about (党支部名称 兰陵小学党支部, 所在单位：兰陵小学). */
function formSubject(text: string): string | null {
  const m = text.match(
    /(?:党支部名称|党组织名称|单位名称|所在单位|填报单位)[：:\s]*([\u4e00-\u9fff]{2,20}?(?:党支部|党总支|小学|中学|学校|幼儿园))/,
  );
  return m?.[1] ?? null;
}

/** The heading lines of the first page (issuer, 文号, title, date) are metadata, not passages. */
function isFrontMatter(text: string, meta: DocumentMeta): boolean {
  const t = text.replace(/\s/g, '');
  return (
    t === meta.title.replace(/\s/g, '') ||
    t === meta.docNo ||
    FULL_DATE.test(t) ||
    /^\d{4}年\d{1,2}月\d{1,2}日印发$/.test(t) ||
    ISSUER.test(t)
  );
}

function readMeta(blocks: Block[], fallbackTitle: string): DocumentMeta {
  const paras = blocks.flatMap((b) => (b.kind === 'para' ? [b] : []));
  const texts = paras.map((p) => p.text.replace(/\s/g, ''));

  const noMatch = texts.slice(0, 40).join('\n').match(DOC_NO);
  const docNo = noMatch ? `${noMatch[1]}〔${noMatch[2]}〕${noMatch[3]}号` : null;

  const dateAt = texts.findIndex((t) => FULL_DATE.test(t));
  const dm = dateAt >= 0 ? (texts[dateAt] as string).match(FULL_DATE) : null;

  // Title: the document's own `#` heading, else the last title-like line before the body.
  const firstSection = paras.findIndex((p) => markerOf(p.text)?.type === 'cn');
  const front = paras.slice(0, firstSection < 0 ? 20 : firstSection);
  const mdTitle = front.find((p) => p.md && p.mdLevel === 1 && !markerOf(p.text));
  const candidates = front.filter((p) => TITLE_END.test(p.text) && !/[。；]/.test(p.text) && p.text.length <= 80);
  const titleBlock = mdTitle ?? candidates[candidates.length - 1];
  let title = (titleBlock?.text ?? fallbackTitle).trim();
  // A notice that carries a plan names the plan after its issuer: keep the plan's name.
  const issuerInTitle = title.match(/^((?:中共|中国共产党)?[\u4e00-\u9fff]{2,20}?(?:委员会|党工委|工委|党委))(?=关于)/);
  if (issuerInTitle) title = title.slice((issuerInTitle[1] as string).length);

  // Issuer: the signature above the date, else any issuer line, else the start of the title.
  const signature = dateAt > 0 ? (texts[dateAt - 1] as string).match(ISSUER) : null;
  const anyIssuer = texts.map((t) => t.match(ISSUER)).find(Boolean);
  const fromTitle = title.match(/^([\u4e00-\u9fff]{2,20}?(?:党工委|工委|党委|委员会))/);
  const issuer = (signature?.[1] ?? anyIssuer?.[1] ?? issuerInTitle?.[1] ?? fromTitle?.[1] ?? '').replace(/文件$/, '');

  const year = noMatch?.[2] ?? title.match(/(\d{4})\s*年/)?.[1] ?? null;
  const date = dm ? `${dm[1]}-${(dm[2] as string).padStart(2, '0')}-${(dm[3] as string).padStart(2, '0')}` : year;
  return { title, issuer, docNo, date };
}
