// Reading the shipped documents: metadata, the heading hierarchy, flattened tables, debris.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from '../bot/cli/corpus';
import { parseDocument } from '../handlers/qa/ingest/document';

const docs = new Map(corpusFiles().map((f) => [f.split('/').pop() as string, parseDocument(readFileSync(f, 'utf8'))]));
const doc = (name: string) => docs.get(name) as ReturnType<typeof parseDocument>;
const nospace = (s: string) => s.replace(/\s/g, '');

describe('document metadata', () => {
  it('recovers title, issuer, 文号 and date of every shipped document', () => {
    // The corpus README's table of the five documents.
    const expected = [
      [
        '000_f2ea2df98cfd2a4c.txt',
        '中共固原市教育工作委员会',
        '关于创建“四强化六提升”学校党建品牌的实施方案',
        '固党教工委〔2022〕23号',
        '2022-10-20',
      ],
      ['001_dc050af0dc608467.txt', '金凤区教育党工委', '金凤区教育党工委2022年党的建设工作要点', null, '2022'],
      [
        '002_045b0a022792e96e.txt',
        '中共瑞安市教育局委员会',
        '深化“瓯江红·双高争先”工程争创新时代中小学校党建示范市的实施方案（征求意见稿）',
        null,
        '2022-10-12',
      ],
      [
        '003_1a5507e8c81473ec.txt',
        '中共建始县教育局委员会',
        '关于做好2020年全县教育系统党建工作的通知',
        '建教党〔2020〕9号',
        '2020-08-28',
      ],
      [
        '004_36ca56f47988dc24.txt',
        '中共常州市天宁区教育文体局委员会',
        '关于深入开展基层组织建设年活动的实施意见',
        '常天教委〔2012〕6号',
        '2012',
      ],
    ];
    for (const [file, issuer, title, docNo, date] of expected) {
      const { meta } = doc(file as string);
      expect({ ...meta, title: nospace(meta.title) }).toEqual({ issuer, title, docNo, date });
    }
  });
});

describe('sections', () => {
  it('nests a list that restarts under the heading above it, as the example citation shows', () => {
    const p = doc('000_f2ea2df98cfd2a4c.txt').passages.find((x) => x.text.includes('每季度到联络点不少于1次'));
    expect(p?.section).toBe('三、(二) 六是 二、领导联系基层');
  });

  it("returns to the document's own top level after nested lists", () => {
    const p = doc('000_f2ea2df98cfd2a4c.txt').passages.find((x) => x.text.includes('第一阶段'));
    expect(p?.section).toBe('四、步骤安排');
  });

  it('keeps the body of a notice apart from the attachment list above its title', () => {
    const p = doc('002_045b0a022792e96e.txt').passages.find((x) => x.text.includes('每月至少组织1次教职工政治学习'));
    expect(p?.section).toBe('三、(一) 3.加强理论学习宣传');
  });

  it('files the glossary under 名词解释', () => {
    const p = doc('001_dc050af0dc608467.txt').passages.find((x) => x.text.includes('三帐二单一图：'));
    expect(p?.section).toBe('名词解释 3.三帐二单一图');
  });
});

describe('flattened tables', () => {
  const sheet = doc('004_36ca56f47988dc24.txt').passages.filter(
    (p) => p.kind === 'row' && /^\S+\d+分：\d+．/.test(p.text),
  );

  it('reads the 27 items of the grading sheet as rows with their group and points', () => {
    expect(sheet).toHaveLength(27);
    expect(sheet[0]?.text).toBe(
      '领导班子好20分：1．领导班子健全，团结协作，能充分发挥政治核心作用，保证监督党的路线方针政策和国家法律法规在学校的贯彻执行。3分（自评得分：3）',
    );
    expect(sheet[26]?.text).toContain(
      '群众反映好20分：27．在教师、学生、家长满意度测评中满意率较高。（得分=20*满意率）20分',
    );
    expect(sheet[17]?.section).toBe('附件1 工作机制好20分');
  });

  it("states the sheet's outline once", () => {
    const outline = doc('004_36ca56f47988dc24.txt').passages.find((p) => p.text.includes('分为5个部分'));
    expect(outline?.text).toBe(
      '《中小学校党支部分类定级评分参考标准》分为5个部分：领导班子好20分，党员队伍好15分，工作机制好20分，工作业绩好25分，群众反映好20分。',
    );
  });

  it('reads a grid as labelled rows', () => {
    const row = doc('004_36ca56f47988dc24.txt').passages.find((p) => p.text.includes('兰陵小学') && p.kind === 'row');
    expect(row?.text).toMatch(/^局领导：张金松；联络处室：教育科；联系单位：.*兰陵小学/);
  });
});

describe('conversion debris', () => {
  const all = [...docs.values()].flatMap((d) => d.passages.map((p) => p.text)).join('\n');

  it('removes markdown marks, bookmarks and the stray page number, and fixes the known slip', () => {
    expect(all).not.toMatch(/\*\*|\[bookmark|^#/m);
    expect(all).not.toContain('教有工委');
    expect(doc('002_045b0a022792e96e.txt').passages.at(-1)?.text).not.toMatch(/\n1$|^1$/);
  });

  it('joins sentences broken by line ends and blank lines', () => {
    expect(all).toContain('以优异成绩迎接党的二十大和自治区第十三次党代会胜利召开。');
    expect(all).toContain('生活困难党员、老党员等走访慰问。');
    expect(all).toContain('党的二十大精神和习近平总书记视察宁夏重要讲话精神');
  });
});
