// Policy Q&A: answers from the documents with citations, honest refusals, the CLI and the chat.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as askCli } from '../bot/cli/ask';
import { ensureDefaultCorpus } from '../bot/cli/corpus';
import { addDocumentFile } from '../bot/cli/documents';
import { main as kbMain } from '../bot/cli/kb';
import { addDocument } from '../bot/files';
import { Knowledge } from '../handlers/qa/knowledge';
import { MATCH_BUDGET } from '../handlers/qa/retrieve';
import { qaFeedback } from '../storage/schema';
import { openSqlite } from '../storage/sqlite';
import { cardsIn, testBot, textsIn } from './helpers/bot';
import { runMain } from './helpers/cli';
import { docx, pdf } from './helpers/documents';
import { EVAL_FILE, evaluate, FRESH_FILE, loadEval, ROUND_FILES } from './qa/evaluate';

let kb: Knowledge;
let close: () => void;

beforeAll(async () => {
  const opened = openSqlite(':memory:');
  close = opened.close;
  await ensureDefaultCorpus(opened.db);
  kb = new Knowledge(opened.db);
});
afterAll(() => close());

/** Each question ranks a passage holding `passage` in its top 3 retrieved. */
async function expectInTop3(passage: string, questions: string[]) {
  for (const q of questions) {
    const { retrieved } = await kb.explain(q);
    expect(
      retrieved.slice(0, 3).some((r) => r.text.includes(passage)),
      q,
    ).toBe(true);
  }
}

async function expectFirst(passage: string, questions: string[]) {
  for (const q of questions) expect((await kb.explain(q)).retrieved[0]?.text, q).toContain(passage);
}

describe('answers', () => {
  it('answers a number with the sentence that gives it, quoted under a full citation', async () => {
    const a = await kb.ask('党组织活动经费不低于多少？');
    expect(a).toMatchObject({ kind: 'direct', found: true });
    expect(a.answer).toContain('不低于学校公用经费的2%');
    // The quote is the answering sentence, not the paragraph's opening.
    expect(a.citations[0]?.quote).not.toContain('要强化经费保障');
    expect(a.citations[0]).toMatchObject({
      doc: '000_f2ea2df98cfd2a4c.txt',
      title: '关于创建“四强化六提升”学校党建品牌的实施方案',
      docNo: '固党教工委〔2022〕23号',
      section: '三、(二) 四是 二、要强化经费保障',
    });
    expect(a.citations[0]?.quote).toContain('不低于学校公用经费的2%');
  });

  it("understands the user's word for the document's (联系点 for 联络点)", async () => {
    const a = await kb.ask('班子成员多久去一次联系点？');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('每季度到联络点不少于1次');
    expect(a.citations[0]?.section).toBe('三、(二) 六是 二、领导联系基层');
  });

  it('finds a collective term (三会一课, 三重一大, 三公) by the members a teacher names instead', async () => {
    for (const q of [
      '支部党员大会、支委会、党课，分别多久得开一次？',
      '党员大会和党小组会要按时开吗',
      '支委会、党小组会和党课有啥规定',
    ]) {
      expect((await kb.ask(q)).answer, q).toContain('落实“三会一课”');
    }
    expect((await kb.ask('学校的重大决策、大额资金使用，要怎么定？')).answer).toContain('“三重一大”');
    expect((await kb.ask('公务接待、公车使用这些费用要查吗')).answer).toContain('“三公”经费');
  });

  it('reads a condition in spoken words: 联系学校 for 联系点, 没建起来 and 成立不了 for 未建', async () => {
    for (const q of ['联系学校的领导多久得去一趟', '固原的班子成员联系学校，多久去一次']) {
      const a = await kb.ask(q);
      expect(a.kind, q).toBe('direct');
      expect(a.answer, q).toContain('每季度到联络点不少于1次');
    }
    const guyuan = await kb.ask('局领导联系学校，固原怎么规定的');
    expect(guyuan.answer).toContain('每季度到联络点不少于1次');
    expect(guyuan.answer).not.toContain('没有找到');
    for (const q of [
      '学校该有党组织却一直没建起来，咋办',
      '党组织成立不了怎么办',
      '有的学校党组织一直建不起来，天宁咋要求',
    ]) {
      const { retrieved } = await kb.explain(q);
      expect(
        retrieved.slice(0, 3).some((r) => r.text.includes('应建而未建党组织')),
        q,
      ).toBe(true);
    }
    for (const q of ['学校该有党组织却一直没建起来，咋办', '天宁那边，没有成立党组织的学校该怎么建']) {
      expect((await kb.ask(q)).answer, q).toContain('应建而未建党组织的，通过挂靠建设、区域联建');
    }
  });

  it('reads the spoken words for the documents’ terms (购物卡, 样板, 排最后, 空了, 联系不上, 没单独建, 轮训的比例)', async () => {
    // Each the documents' word: 消费卡, 典型样本, 连续…末位, 空缺, 失联, 未建, 轮训率.
    const ranked: [string, string][] = [
      ['家长送了张超市卡给老师，党员收了怎么处理', '消费卡'],
      ['逢年过节收学生家长的购物卡算违纪吗', '消费卡'],
      ['支委会空了一个人是等换届还是现在补', '支委委员在任期内空缺'],
      ['党员联系不上了怎么处理', '失联党员'],
      ['有党员电话不接也不来参加活动咋办', '失联党员'],
      ['村小没单独建支部怎么办', '应建而未建党组织'],
      ['有的学校没正式成立党组织咋处理', '应建而未建党组织'],
      ['全体党员轮训比例有硬指标吗', '党员轮训率年内达到60%以上'],
    ];
    for (const [q, passage] of ranked) {
      const { retrieved } = await kb.explain(q);
      expect(
        retrieved.slice(0, 3).some((r) => r.text.includes(passage)),
        q,
      ).toBe(true);
    }
    const answered: [string, string][] = [
      ['瑞安到2025年要有多少党组织当样板', '50%以上党组织成为典型样本'],
      ['要是连着两年考核排最后咋办', '连续2年末位'],
      ['全体党员轮训比例有硬指标吗', '党员轮训率年内达到60%以上'],
    ];
    for (const [q, fact] of answered) expect((await kb.ask(q)).answer, q).toContain(fact);
  });

  it('reads a province named with a count of places (宁夏两个地方, 江苏三家) as every document from it, each with its line', async () => {
    // 宁夏 holds 固原 and 金凤; 浙江 瑞安, 湖北 建始, 江苏 天宁 (whose address 常州 is no second place).
    const compared: [string, string[]][] = [
      ['书记校长一肩挑还是分设，宁夏两个地方说法一样吗', ['校长“一肩挑”，配备专职副书记', '书记、校长分设']],
      ['宁夏两地对书记和校长是不是一个人兼有啥不同', ['校长“一肩挑”，配备专职副书记', '书记、校长分设']],
      ['浙江、湖北、江苏三家在发展党员上侧重点有啥不同', ['学科（专业）带头人', '高知群体', '教学业务骨干']],
      ['江苏和浙江两家对发展党员的要求一样吗', ['学科（专业）带头人', '高知群体']],
    ];
    for (const [q, lines] of compared) {
      const a = await kb.ask(q);
      expect(a.kind, q).toBe('direct');
      for (const line of lines) expect(a.answer, q).toContain(line);
    }
    // One document pointed at (宁夏那个品牌方案) is that one, compared with none.
    const one = await kb.ask('宁夏那个品牌方案里，理论学习要学哪几块内容');
    expect(one.answer).toContain('深入学习必读篇');
    expect(one.answer).not.toContain('金凤');
  });

  it('quotes the items of a coined term that each carry its counted characters (三亮三比一争优, 五个“一”)', async () => {
    // 亮身份比学习、亮承诺比行动…; 配强一支队伍、挂出一块牌子、刻制一枚印章…: the term's characters, item by item.
    const spelled: [string, string[]][] = [
      [
        '学校让我们开展三亮三比一争优，我是预备党员也得参加吧？这几个“亮”具体是亮啥、比啥',
        ['亮身份比学习', '亮承诺比行动'],
      ],
      [
        '党委布置了三亮三比一争优，刚转正的党员也要参加吗？几个“亮”到底亮啥、比啥',
        ['亮身份比学习', '争当优秀共产党员'],
      ],
      ['阵地建设那五个“一”都有啥', ['挂出一块牌子', '刻制一枚印章']],
      ['固原那个五个一，挂牌子算其中一个吗', ['挂出一块牌子', '形成一套制度']],
    ];
    for (const [q, items] of spelled) {
      const { answer } = await kb.ask(q);
      for (const item of items) expect(answer, q).toContain(item);
    }
    // A phrase opening with 一 (一对一结对, 一共几分) is no coined term.
    expect((await kb.ask('分类定级评分表里“工作业绩好”这块一共几分？')).answer).toContain('工作业绩好25分');
  });

  it('reads a year-end target (年底要达到) as the documents’ 年内 too, so each place compared gives its line', async () => {
    // 金凤: “年内创建3-5个党建示范点”.
    const compared = await kb.ask('年底要完成的硬任务，金凤、瑞安两家有啥不同');
    expect(compared.answer).toContain('3-5个党建示范点');
    expect(compared.answer).toContain('瑞安');
    const one = await kb.ask('金凤年底要创建几个党建示范点');
    expect(one.kind).toBe('direct');
    expect(one.answer).toContain('3-5个党建示范点');
  });

  it('takes a document named by a word of its title (品牌方案, 要点) from the documents of the place named', async () => {
    // 宁夏 holds 固原 (创建…学校党建品牌的实施方案) and 金凤 (党的建设工作要点).
    const brand = await kb.ask('宁夏那个品牌方案里，理论学习要学哪几块内容');
    expect(brand.answer).toContain('深入学习必读篇');
    expect(brand.answer).not.toContain('金凤');
    for (const q of ['宁夏那个要点里，书记述职咋搞', '宁夏的要点里对阵地建设咋要求']) {
      expect((await kb.ask(q)).citations[0]?.title, q).toContain('工作要点');
    }
  });

  it('keeps a star rank whole (三星级, not 星级 and a stray 三) and quotes the rule on it', async () => {
    for (const q of ['三星级支部要达到啥条件才评得上', '评三星级支部有啥条件', '一星级支部有什么标准']) {
      expect((await kb.ask(q)).answer, q).toContain('优良率(三星级及以上)达到85%以上');
    }
  });

  it('finds a term whose middle is a word of its own (党员学习日 holds 学习), not the pieces left around it', async () => {
    for (const q of [
      '天宁文件里的党员学习日是每月固定哪天？',
      '党员学习日一般安排在每月几号',
      '我们想搞党员学习日，文件里怎么说的',
    ]) {
      expect((await kb.ask(q)).answer, q).toContain('落实党员学习日、教育活动月');
    }
  });

  it('asked what is looked at (看哪几方面), quotes the sentence spelling it out as clauses of 看 (“五看”)', async () => {
    for (const q of [
      '市里考核我们这种基层党组织，主要看哪几方面？',
      '固原对学校基层党组织考核，重点看哪几个方面？',
      '市里考核我们基层支部，主要看哪几块？',
      '上级考核党支部看什么',
    ]) {
      const a = await kb.ask(q);
      expect(a.kind, q).toBe('direct');
      expect(a.answer, q).toContain('看党员群众的满意度');
    }
  });

  it('ranks the passage spelling out clauses of 看 in the top 3 when asked what is looked at, 考核 unsaid', async () => {
    // Where some passage spells them out, the passages that do not are no better for coming first in the index.
    await expectInTop3('看党员群众的满意度', [
      '固原那边评基层党支部，重点看哪些？',
      '市里考基层党支部都看哪些方面',
      '去固原考基层党支部，会看哪些方面？',
      '上面来考我们基层支部，一般看哪几块？',
      '市里评基层党支部看哪几方面',
      '考基层党支部的时候都看啥',
    ]);
  });

  it('ranks the line setting the latest target year in the top 3 when asked for the farthest target', async () => {
    // 到2035年…党建高地示范市 is cut from the paragraph naming 双高争先: the question's words miss it.
    await expectInTop3('党建高地示范市', [
      '瑞安双高争先工程最终要达到什么目标',
      '瑞安的双高争先，远期目标是哪一年',
      '双高争先工程的长远目标到哪一年',
      '瑞安这个工程最终目标是哪年',
      '瑞安双高争先最终要形成什么',
    ]);
  });

  it('ranks the dated hand-in line of the document asked about in the top 3 when asked what is handed in, by when, to whom', async () => {
    // The line (3月26日之前…连同附件1、2、3送至局组织科) holds none of the question's words for the material.
    await expectInTop3('送至局组织科', [
      '天宁分类定级的东西几号前要交？',
      '天宁摸底那份材料交给谁',
      '天宁这次定级，材料最晚哪天交到局里',
      '天宁党支部定级的材料要报送到哪',
      '天宁分类定级要交些什么上去',
      '天宁摸底定级，东西要交到哪个科',
    ]);
  });

  it('reads small schools putting their members into one branch (合并、联合、合建) as the documents’ 联建', async () => {
    await expectInTop3('挂靠建设、区域联建', [
      '我们幼儿园党员太少，能不能和别的园合并建一个支部',
      '两所村小党员都不够，联合成立党支部行不行',
      '几个小学校合在一起建支部，天宁文件怎么说',
      '党员少的学校能跟附近学校一起建支部吗',
      '三个园合建一个党支部有没有文件支持',
    ]);
  });

  it('reads a school too small for a branch of its own (就两个党员, 不够3个, 人太少, 没法单独成立) as the documents’ 未建 and 联建', async () => {
    await expectInTop3('挂靠建设、区域联建', [
      '我们园党员不够3个，没法单独成立支部，咋整',
      '教学点只有一名党员，党组织怎么设',
      '山区小学就俩党员，组织关系怎么弄',
      '全校党员不到3名，天宁让怎么建支部',
      '学校人太少，天宁说党组织该怎么办',
      '分校才两个党员，能单独设支部吗',
    ]);
    // The asker's 办法 (天宁那边的办法) names no subject: matched to 有办法, it chose the 四有 sentence.
    for (const q of [
      '村里小学就两个党员，单独建不起来党组织，天宁的办法是啥',
      '幼儿园党员太少，按天宁的办法怎么建支部',
    ]) {
      expect((await kb.ask(q)).answer, q).toContain('挂靠建设、区域联建');
    }
  });

  it('ranks the activity’s 率 first when asked how many people it must reach (多少人参加, 几成, 覆盖多少人)', async () => {
    // The documents set it as 党员轮训率年内达到60%以上, a rate: the question counts people.
    await expectFirst('党员轮训率年内达到60%以上', [
      '党员轮训要多少人参加',
      '轮训今年要求几成党员参加',
      '全体党员集中轮训，一年要轮到多少人',
      '每年参加轮训的党员得有多少人',
      '党员轮训几个人参加才够',
      '党员集中轮训覆盖多少人',
    ]);
  });

  it('ranks first the passage listing meetings with their times when asked which meetings are held, or when', async () => {
    // 年初召开重点工作任务部署会、半年召开推进会，年终…述职评议考核会: the question names neither meetings nor times.
    await expectFirst('年初召开重点工作任务部署会', [
      '固原一年开哪几次会，都在什么时候',
      '市里的述职评议考核会啥时候开',
      '固原党建品牌创建，什么时候开推进会',
      '固原教育工委每年开几回会',
      '固原市里一年当中都开些什么会',
      '党建工作一年开几回会，固原咋安排的',
    ]);
  });

  it('reads the year’s rhythm (一年是个啥节奏, 会怎么安排) as the meetings asked, with their times', async () => {
    // Asked without 开…会 (r49-25: the part 推党建是个啥节奏 was searched alone), the schedule was 5th or lower.
    await expectFirst('年初召开重点工作任务部署会', [
      '固原教育工委全年抓党建是什么节奏',
      '市教育工委每年推党建的节奏是怎样的',
      '固原教育工委一年下来会怎么安排',
      '固原党建工作一年到头什么节奏',
      '固原教育工委的会都是怎么安排的',
      '固原工委每年的会是怎么安排的',
    ]);
  });

  it('reads a member moving away (转出去, 转走, 迁出, 接转) as the documents’ 组织关系转接', async () => {
    await expectFirst('规范党员组织关系转接', [
      '党员老师调到外县，组织关系怎么转出去',
      '支部有个党员要调动，党组织关系怎么接转',
      '党员迁出本地，组织关系怎么办',
      '学校有党员要调到外区，组织关系转过去怎么办手续',
      '党员转走组织关系要走什么流程',
      '老师调往外地学校，党员关系怎么转走',
    ]);
  });

  it('reads a leader answering for a branch (包联, 包保, 挂联) as the documents’ 联系点 and 联络点', async () => {
    await expectFirst('每季度到联络点不少于1次', [
      '工委班子成员包联支部，一年至少去几次',
      '班子成员包联党支部有啥要求',
      '工委领导包保的支部，他们多久来一次',
      '工委班子包联的党支部一季度去几次',
      '固原工委领导包联基层支部有次数要求吗',
      '工委领导挂联的支部多久要去看看',
    ]);
  });

  it('finds one meeting of 三会一课 asked alone (党小组会, 党员大会, 支委会) in the 三会一课 lines, as related', async () => {
    // The documents set no meeting's frequency, only 严格落实“三会一课”: related, never a direct answer.
    for (const q of [
      '党小组会一般隔多长时间开',
      '党员大会一年要开几次',
      '党小组会一个月开一回吗',
      '支部大会多久召开一次',
      '支委会多久开一次',
    ]) {
      const { answer, retrieved } = await kb.explain(q);
      expect(retrieved[0]?.text, q).toContain('三会一课');
      expect(answer.kind, q).toBe('related');
    }
  });

  it('ranks the clauses the verb asked begins (看…；看…) first, whatever else the question names (考支部看什么)', async () => {
    // 四强化 holds 工委 and 基层党支部, the question's words: it outranked the 五看 (r48-19).
    await expectFirst('看党员群众的满意度', [
      '固原对基层党组织考核看什么',
      '固原工委考下面的支部看哪几样',
      '固原工委考支部看什么',
      '工委考各支部主要看哪几样',
      '固原工委考下面支部主要看啥',
      '工委考支部时看哪几点',
    ]);
  });

  it('reads taking stock said with a word inside (摸一遍底, 摸一轮底, 摸个底) as the documents’ 摸底', async () => {
    await expectFirst('重点调研组织设置是否合理', [
      '天宁定级前摸一遍底，主要了解哪些情况',
      '天宁摸一轮底都查啥',
      '天宁先摸一遍底，摸什么',
      '天宁年初摸一轮底，看哪些',
      '天宁摸一遍底主要查什么',
      '天宁让先摸一轮底，了解哪些',
    ]);
  });

  it('reads a member who lapsed (不过组织生活, 自行脱党, 除名, 劝退) as the documents’ 不合格党员 and its 处置', async () => {
    for (const q of [
      '学校里有个党员十个月没来过组织生活，可以当自行脱党吗',
      '不过组织生活的党员能不能除名',
      '党员长期不过组织生活，能按脱党处理吗',
      '有党员一直不来组织生活，支部能劝退吗',
      '党员半年多没交党费，算不算自行脱党',
    ]) {
      expect((await kb.ask(q)).answer, q).toContain('不合格党员');
    }
  });

  it('answers a phrase counted as several (“到群众中去”五条, 五个到群众中去) with the sentence whose items each carry it', async () => {
    // 意见到群众中去听、问题到群众中去找…: not the sentence naming 五个到群众中去 as what to carry out.
    for (const q of [
      '干部“到群众中去”的五条要求怎么理解',
      '专项行动里那五个到群众中去具体指什么',
      '“到群众中去”那五个方面怎么落实',
      '作风建设要求的“到群众中去”是哪五句',
      '党员干部要做到的“到群众中去”共有五个，分别怎么讲',
      '“到群众中去”五条具体内容',
    ]) {
      const { answer, retrieved } = await kb.explain(q);
      expect(retrieved[0]?.text, q).toContain('意见到群众中去听');
      expect(answer.answer, q).toContain('满意度到群众中去评');
    }
  });

  it('reads whom to favour (优先发展哪些人) as where the documents lay the weight (重点在、注重在、加大在)', async () => {
    // 优先 matched only 予以优先考虑, a reward for 党务工作者, which took 瑞安's line (重点在高知群体中发展党员).
    for (const q of [
      '几个地方的文件，发展党员都优先从哪些人中发展',
      '各个文件里发展党员优先在哪类人群',
      '各地文件说优先在什么人里发展党员',
      '各地发展党员优先对象一样吗',
      '感觉各地发展党员的优先方向不一样，具体是啥',
      '各地方发展党员优先选哪些人',
    ]) {
      const { answer } = await kb.explain(q);
      for (const line of ['重点在高知群体中发展党员', '注重在教学一线', '青年教师骨干中发展党员']) {
        expect(answer.answer, q).toContain(line);
      }
    }
  });

  it('reads ranked last said with a word between (排在最后, 落到最后, 考了个倒数) as the documents’ 末位', async () => {
    // Not as 后进 too: a grade most rows of the sheet name, it outranked 连续2年末位.
    await expectInTop3('连续2年末位', [
      '年终考评我们支部落到最后了，要受什么处理',
      '连着两年考了个倒数，会怎样',
      '考核倒数第一要承担啥责任',
      '要是排名最后一名会怎样',
      '考评万一排在最末，有什么后果',
      '学校考核排到最后是什么结果',
    ]);
  });

  it('reads two words side by side as two where the second begins a commoner word (学校|基层党组织)', async () => {
    // 学校基层 is in the documents (学校基层党组织), but 基层党组织 is the word: joined, 学校基层 would
    // be a rare word the “五看” sentence lacks.
    for (const q of [
      '固原那边考核学校基层党组织，主要看哪几个方面？',
      '固原考核学校基层党组织看什么',
      '考核学校基层党组织主要看哪些方面',
    ]) {
      const a = await kb.ask(q);
      expect(a.answer, q).toContain('看党员群众的满意度');
    }
  });

  it('compares numbered terms (双培养, 三培养) by the sentences spelling them out, though one lacks the term', async () => {
    for (const q of [
      '固原说“双培养”，瑞安说“三培养”，两个差在哪？',
      '固原讲双培养、瑞安讲三培养，两边培养的路子有啥区别',
      '固原的双培养跟瑞安的三培养一样吗',
    ]) {
      const a = await kb.ask(q);
      expect(a.answer, q).toContain('把年轻优秀教师培养成党员');
      expect(a.answer, q).toContain('党员教学管理骨干培养成学校领导');
    }
  });

  it('reads 风险点排查 as 风险点 (查 is a filler the question drops), not as a broken word 风险点排', async () => {
    const often = await kb.ask('廉政风险点排查多久一次');
    expect(often.answer).toContain('没有直接规定廉政风险点的频次');
    expect(often.answer).toContain('定期排查廉政风险点');
    expect((await kb.ask('风险点排查有啥要求')).answer).toContain('定期排查廉政风险点');
  });

  it('finds a term mixing letters and Chinese (“hui服务”系统), quoted or not', async () => {
    for (const q of ['瑞安那个“hui服务”系统，我们普通学校啥时候必须用上？', 'hui服务系统现在哪些学校在用']) {
      const a = await kb.ask(q);
      expect(a.citations[0]?.quote).toContain('试点铺开“hui服务”系统（目前直属学校已全面实行）');
    }
  });

  it('reads 数量要求 as asking a number, and 立规矩 as 建立制度', async () => {
    const a = await kb.ask('天宁那边对每个支部自己立规矩有没有数量要求？');
    expect(a.kind).toBe('direct');
    expect(a.answer).toContain('每个基层党支部至少建立一项务实管用的制度');
    expect(a.answer).not.toContain('数量充足');
  });

  it("gives each document's requirement where they differ, labelled by issuer", async () => {
    const a = await kb.ask('各文件对意识形态工作多久研究一次是怎么规定的？');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('各文件的规定不同');
    expect(a.answer).toMatch(/建始县教育局委员会[^\n]*每年至少2次专题研究意识形态工作/);
    expect(a.answer).toMatch(/瑞安市教育局委员会[^\n]*每年至少研究意识形态及网络意识形态工作2次/);
  });

  it('compares directly only when each line gives what was asked, and answers each thing a 分别 names', async () => {
    // No document sets how often 支委会 or 党小组会 meet: the lines are only related rules.
    const meetings = await kb.ask('三会一课里，支委会和党小组会分别多久开一次？');
    expect(meetings.kind).toBe('related');
    expect(meetings.answer).not.toContain('各文件的规定不同');
    // Each document's line is its sentence with the frequency, not the paragraph around it.
    const often = await kb.ask('意识形态工作多久专门开会研究一次，金凤区、瑞安和建始县的要求有什么不一样？');
    expect(often.kind).toBe('direct');
    expect(often.answer).toMatch(/金凤区教育党工委：各校每学期至少召开1次意识形态工作专题会议/);
    expect(often.answer).toMatch(/瑞安市教育局委员会：[^\n]*每年至少研究意识形态及网络意识形态工作2次/);
    // Two things named before 分别: each one's definition, not the sentence that only lists them.
    const terms = await kb.ask('基层组织建设年里说的“全覆盖”和“受欢迎”分别咋理解');
    expect(terms.answer).toMatch(/^- 全覆盖：“全覆盖”是指基层组织建设工作要抓到党支部/);
    expect(terms.answer).toMatch(/\n- 受欢迎：“受欢迎”是指基层组织建设符合党员群众工作生活实际/);
  });

  it('reads 民办中小学校 as a 民办学校, and 党建…咋抓 as 党建 (抓 is what is done to it)', async () => {
    const a = await kb.ask('民办学校党建各地都咋抓？固原、金凤、瑞安有啥不一样的招？');
    expect(a.answer).toMatch(/固原市教育工作委员会[^\n]*年检不予通过[^\n]*写入学校章程/);
    expect(a.answer).not.toContain('两张皮');
  });

  it('compares only the places the user names, each in its whole sentence', async () => {
    const a = await kb.ask('书记校长要不要一肩挑 固原和金凤说法一样吗');
    expect(a.answer).toContain('各文件的规定不同');
    expect(a.answer).toMatch(/金凤区教育党工委：[^\n]*校长分设；其他学校[^\n]*一肩挑/);
    expect(a.answer).toMatch(/固原市教育工作委员会[^\n]*“一肩挑”/);
    expect(a.answer).not.toMatch(/瑞安|建始|天宁/);
    // A sentence two passages share is said once on its document's line.
    const shared = await kb.ask('我们乡镇中心校规模不大，书记和校长是不是一个人兼？固原和金凤要求一样吗');
    expect(shared.answer.split('且规模较大的学校实行党组织书记、校长分设').length - 1).toBe(1);
  });

  it('quotes each document on the point the others make, not on a word of the question only it has', async () => {
    // 倾斜 is in 固原's 评先评优 sentence alone; 发展党员, which the others' lines hold, is in another passage.
    const a = await kb.ask('固原、金凤、瑞安在发展党员上分别往哪些人倾斜？');
    const guyuan = a.answer.split('\n').find((l) => l.includes('固原')) ?? '';
    expect(guyuan).toContain('注重在教学一线、优秀共青团员中培养入党积极分子和发展党员');
    expect(guyuan).not.toContain('评先评优');
    expect(a.answer).toContain('重点在高知群体中发展党员');
  });

  it('answers a count compared (多少个) with each document’s count, not a share it also gives', async () => {
    const a = await kb.ask('党建示范点和品牌学校，金凤、瑞安的目标各是多少个');
    const ruian = a.answer.split('\n').find((l) => l.includes('瑞安')) ?? '';
    // The count leads the line; a share may follow it as a second place, not stand for it.
    expect(ruian.split('50%以上')[0]).toContain('打造教育系统党建品牌100校');
    expect(a.answer).toContain('年内创建3-5个党建示范点');
  });

  it('lays out steps that are sections of their own, in order, with their dates', async () => {
    const a = await kb.ask('基层组织建设年活动分哪几步走，每一步大概啥时间段？');
    expect(a.found).toBe(true);
    expect(a.answer).toMatch(/3月中旬—3月下旬[\s\S]*4月上旬—5月下旬[\s\S]*4月上旬—12月底[\s\S]*6月底—12月底/);
    expect(a.answer).not.toContain('围绕“五好”');
  });

  it('lists every stage of a plan and every dated target of a timeline, and no stage for a year it does not reach', async () => {
    const stages = await kb.ask('固原的党建品牌创建前后要搞三年吧？每一年是什么阶段？');
    expect(stages.kind).toBe('direct');
    expect(stages.answer).toMatch(
      /第一阶段（2022年）：宣传发动[\s\S]*第二阶段（2023年）：深入推进[\s\S]*第三阶段（2024年）：总结提升/,
    );
    // What each year is for, asked as what is done in it.
    const yearly = await kb.ask('固原这个品牌创建要搞三年吧？每年分别干啥');
    expect(yearly.answer).toMatch(
      /第一阶段（2022年）：宣传发动[\s\S]*第二阶段（2023年）：深入推进[\s\S]*第三阶段（2024年）：总结提升/,
    );
    const targets = await kb.ask('瑞安争创党建示范市，分哪几个时间节点，每个节点要做到什么程度？');
    expect(targets.kind).toBe('direct');
    expect(targets.answer).toMatch(
      /^到2022年底，[^\n]*初步建成；\n到2025年，[^\n]*50%以上党组织成为典型样本[^\n]*\n到2035年，/,
    );
    const later = await kb.ask('固原的党建品牌创建到2025年是什么阶段，要干什么？');
    expect(later.kind).not.toBe('direct');
  });

  it.each([
    ['天宁要求的四个“有”是哪四个？', '思考办学有想法、民主管理有章法'],
    ['常州那个文件里的五条“好”具体指啥', '领导班子好、党员队伍好、工作机制好、工作业绩好、群众评价好'],
    ['基层组织建设年说的一个“化”是什么', '推进教育信息化'],
    ['支部要争创的五项“好”都有哪些', '领导班子好、党员队伍好、工作机制好、工作业绩好、群众评价好'],
  ])(
    '%s: a word counted and quoted is the documents’ coined term (“四有”), spelled out where they define it',
    async (question, items) => {
      const a = await kb.ask(question);
      expect(a.kind).toBe('direct');
      expect(a.answer).toContain(items);
    },
  );

  it.each(['四强化六提升品牌创建这三年各干什么', '宁夏那个品牌行动3年各搞些啥', '品牌创建行动三步分别抓什么'])(
    '%s: what each of a counted run of years or steps does asks the stages, each quoted',
    async (question) => {
      const a = await kb.ask(question);
      expect(a.kind).toBe('direct');
      expect(a.answer).toMatch(
        /第一阶段（2022年）：宣传发动[\s\S]*第二阶段（2023年）：深入推进[\s\S]*第三阶段（2024年）：总结提升/,
      );
    },
  );

  it.each([
    '我们定级才评了个一般，天宁那边整改该怎么走，有没有截止日期？',
    '我们被定为后进了，按天宁的要求整改这块怎么走，有时间节点吗？',
    '考评给了个“一般”，天宁的整改怎么走，啥时候截止？',
  ])(
    '%s: how the stage named goes and by when (a grade the member reports is their situation): its dated lines',
    async (question) => {
      const a = await kb.ask(question);
      expect(a.kind).toBe('direct');
      expect(a.answer).toMatch(
        /^（三）整改提高，晋位升级，抓提升（4月上旬—12月底）\n5月底前各支部都要形成整改方案[\s\S]*“回头看”活动/,
      );
      expect(a.answer).not.toContain('（一）调查摸底');
      expect(a.citations.some((c) => c.quote.startsWith('5月底前各支部都要形成整改方案'))).toBe(true);
    },
  );

  it('answers a follow-up that names only what the question before it named as that question, and cites every part', async () => {
    const a = await kb.ask('天宁那个基层组织建设年活动，整个是分几个阶段搞的？每个阶段大概什么时间段？');
    expect(a.kind).toBe('direct');
    expect(a.answer).not.toMatch(/天宁的文件中没有找到|第二阶段（2023年）/);
    // Every place the answer quotes is among its citations.
    const b = await kb.ask('校长让我牵头搞支部分类定级，我该先干啥后干啥？活动方案什么时候之前要拿出来？');
    const quoted = b.citations.map((c) => c.quote).join('');
    for (const m of b.answer.matchAll(/\d+月\d+日/g)) expect(quoted).toContain(m[0]);
  });

  it('never gives a lead time as the length of what is asked', async () => {
    const term = await kb.ask('文件里有没有规定支部任期多长？');
    expect(term.kind).toBe('related');
    const notice = await kb.ask('换届前上级会提前多久通知？');
    expect(notice.kind).toBe('direct');
    expect(notice.answer).toContain('提前6个月通知');
    // How many years a plan runs is no 每年 (when something happens each year).
    const span = await kb.ask('固原这个党建品牌是分几年搞的？');
    expect(span.kind).not.toBe('direct');
    expect(span.answer).not.toContain('每年年底');
  });

  it('answers a message of several questions once each: a part another already quotes is left out', async () => {
    const a = await kb.ask('打分表里说党员教师比例要“较高”，多少算较高？有具体比例吗？');
    expect(a.answer.match(/党员教师占全体教师的比例/g)).toHaveLength(1);
  });

  it('reads past a one-character slip in a named term and past the member’s own situation', async () => {
    const slip = await kb.ask('“三亮三比一挣优”活动具体是啥');
    expect(slip.answer).toContain('亮身份比学习、亮承诺比行动、亮工作比贡献');
    const situation = await kb.ask('流动党员多久要摸一次底？我们有俩老师在外地跟岗');
    expect(situation.answer).toContain('每季度对流动党员进行一次摸底排查');
    // What the member adds after the question is not searched: its words are none of the documents'.
    const after = await kb.ask('金凤今年计划建几个党建示范点？我们区想定一个数，参照一下');
    expect(after.kind).toBe('direct');
    expect(after.answer).toContain('年内创建3-5个党建示范点');
    // 这几块 points back at what was asked: the remark holding it asks nothing and gets no answer of its own.
    const back = await kb.ask('年底考核基层党组织，固原那边重点看哪几个方面？我想按这几块提前把台账材料分好类。');
    expect(back.answer).not.toContain('年初建账');
  });

  it('ranks among the first the passage that gives the figure asked, though the question’s words miss it', async () => {
    // 起码要建几项制度 for “至少建立一项务实管用的制度”, in a passage about 党建品牌.
    const { retrieved } = await kb.explain('天宁的意见里每个支部起码要建几项制度');
    expect(retrieved.slice(0, 3).map((p) => p.text)).toContainEqual(
      expect.stringContaining('至少建立一项务实管用的制度'),
    );
  });

  it('ranks among the first the passage that lists the things asked for, counted as the question counts them', async () => {
    // 哪几块 for “课堂、教材、学术活动、学术成果、学生社团、网络等6块阵地”, in a passage about 校园治理.
    const { retrieved } = await kb.explain('固原要求守好哪几块意识形态阵地');
    expect(retrieved.slice(0, 3).map((p) => p.text)).toContainEqual(expect.stringContaining('网络等6块阵地'));
  });

  it('ranks among the first the clause listing items of the kind a list asks for (哪几种“力”)', async () => {
    // 政治统领力、组织战斗力、队伍凝聚力、品牌影响力, in 瑞安's lead paragraph under no heading of its own.
    for (const question of [
      '瑞安那个方案到底想提升学校党建的哪几种“力”？',
      '瑞安那个方案要提升党建工作的哪几种力',
      '瑞安要提升学校党建工作的哪几个“力”',
    ]) {
      const { retrieved } = await kb.explain(question);
      expect(
        retrieved.slice(0, 3).map((p) => p.text),
        question,
      ).toContainEqual(expect.stringContaining('组织战斗力'));
    }
  });

  it('searches a term the question quotes as written, not as a slip of a shorter term inside it', async () => {
    // 五年行动 of “两基提升五年行动” is one character off 五大行动 (固原's): no slip, the member's term.
    for (const question of [
      '金凤说的“两基提升五年行动”具体包括哪些内容？',
      '两基提升五年行动是哪里提的',
      '金凤的两基提升五年行动都有啥',
    ]) {
      const { answer, retrieved } = await kb.explain(question);
      expect(
        retrieved.slice(0, 3).map((p) => p.text),
        question,
      ).toContainEqual(expect.stringContaining('以“两基提升五年行动”为抓手'));
      expect(answer.answer, question).toContain('两基提升五年行动');
    }
  });

  it('takes 我们区 for the member’s own district, not a place whose documents are missing', async () => {
    const a = await kb.ask('党组织活动经费不低于多少？我们区也想定个数，参照一下');
    expect(a.kind).toBe('direct');
    expect(a.answer).not.toContain('我们区');
    expect(a.answer).toContain('不低于学校公用经费的2%');
  });

  it('quotes a list whole when its items run on over a line end', async () => {
    const a = await kb.ask('金凤12345工作思路最后的“五个推动”具体指哪五个？');
    expect(a.answer).toContain('推动义务教育优质均衡发展；推动教育改革各项任务落地有声；');
    expect(a.answer).toContain('推动构建五育并举全面育人格局');
  });

  it('lists the parts a heading is divided into', async () => {
    const a = await kb.ask('瑞安方案的具体举措分了哪几大块');
    expect(a.answer).toMatch(/“三、具体举措”分为5个部分：\n\(一\)落实党建责任，提升政治统领力\n\(二\)/);
    expect(a.answer).toContain('(五)强服务解民忧，激发党建新活力');
  });

  it('lists the fields a form asks for, read from its rows, not one school’s entries', async () => {
    const a = await kb.ask('天宁区定级以后让支部填一张整改表，表里要填哪几栏？');
    expect(a.kind).toBe('direct');
    expect(a.answer).toMatch(
      /^《教育系统基层党组织（党支部）整改表》要填写：存在的主要问题、主要整改措施、完成整改时间、党支部定点联系人、备注/,
    );
    expect(a.answer).not.toContain('张金松');
    // A row of several fields, each beside its entry; and the form's note on who fills in what.
    const graded = await kb.ask('分类定级那张表（附件2）要填哪些栏？有没有哪一栏不用我们支部填的？');
    expect(graded.answer).toMatch(/要填写：党支部名称、关系隶属、成立时间、党员总数、支委会成员情况/);
    expect(graded.answer).not.toMatch(/兰陵小学党支部|1980/);
    expect(graded.answer).toContain('填表说明：除最后一栏，此表其他内容由党支部据实填报');
  });

  it('never answers with a form’s label line unless filling in a form is asked', async () => {
    for (const question of [
      '老师调走了，党员档案袋里得装哪些材料，谁盖章？',
      '支部换届的请示要谁盖章、谁签名？',
      '转组织关系的介绍信谁来盖章？',
      '书记联系电话要写吗',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).not.toMatch(/填报支部（盖章）|书记（签名）：/);
    }
    // Asked of the form, its labels are what answers.
    const form = await kb.ask('整改表由谁盖章？');
    expect(form.answer).toContain('填报支部（盖章）');
  });

  it('lists a document’s attachments from its structure', async () => {
    const a = await kb.ask('天宁那个文件后面附件都有哪几个');
    expect(a.answer).toMatch(
      /共有4个附件：\n附件1 中小学校党支部分类定级评分参考标准\n附件2 [^\n]*\n附件3 [^\n]*整改表\n附件4 /,
    );
    expect(a.citations[0]?.section).toBe('附件1 中小学校党支部分类定级评分参考标准');
  });

  it('answers what is asked of several named documents themselves, each in the order named', async () => {
    for (const question of [
      '固原和建始这两份是正式发文吧？文号各是多少，我归档要填',
      '固原和建始的文件文号各是多少',
      '建始、固原两个文件的发文字号分别是？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      const first = question.indexOf('建始') < question.indexOf('固原') ? '建教党' : '固党教工委';
      expect(a.answer, question).toMatch(
        first === '建教党'
          ? /建教党〔2020〕9号[\s\S]*固党教工委〔2022〕23号/
          : /固党教工委〔2022〕23号[\s\S]*建教党〔2020〕9号/,
      );
      expect(
        a.citations.map((c) => c.section),
        question,
      ).toEqual(['文头', '文头']);
    }
    const both = await kb.ask('瑞安和天宁的两份文件分别是谁发的？');
    expect(both.answer).toMatch(/瑞安市教育局委员会印发[\s\S]*天宁区教育文体局委员会印发/);
  });

  it('answers what is asked of a document itself from its front page, and says what it does not state', async () => {
    const dated = await kb.ask('固原那个品牌方案是什么时候印发的？文号多少？');
    expect(dated.kind).toBe('direct');
    expect(dated.answer).toContain('落款日期是2022年10月20日');
    expect(dated.answer).toContain('文号是固党教工委〔2022〕23号');
    expect(dated.citations[0]?.section).toBe('文头');
    // Only a year: no day is made up.
    const year = await kb.ask('金凤的党建工作要点是哪天发的？');
    expect(year.kind).toBe('related');
    expect(year.answer).toContain('没有写具体的印发日期');
    expect(year.answer).not.toMatch(/\d+月\d+日/);
    const issuer = await kb.ask('天宁那个实施意见是哪个单位发的？');
    expect(issuer.answer).toMatch(
      /^《关于深入开展基层组织建设年活动的实施意见》是中共常州市天宁区教育文体局委员会印发的/,
    );
    // When something the document speaks of is published is asked of its text, not of its front page.
    for (const inside of ['固原方案里说考核结果什么时候公布？', '换届选举什么时候下发通知？'])
      expect((await kb.ask(inside)).answer).not.toContain('落款日期');
  });

  it('says a draft is one, and never gives its dates as the formal version’s', async () => {
    const formal = await kb.ask('瑞安那个方案的正式稿是哪天印发的？和征求意见稿比有啥变化？');
    expect(formal.kind).toBe('related');
    expect(formal.answer).toContain('是征求意见稿，不是正式印发的文件');
    expect(formal.answer).not.toMatch(/\d+月\d+日/);
    expect(formal.citations[0]?.quote).toContain('（征求意见稿）');
    // What the draft itself says is still answered from it.
    for (const asked of ['瑞安那个征求意见稿，意见啥时候前要交上去？', '瑞安那个是征求意见稿的方案意见几号前要交'])
      expect((await kb.ask(asked)).answer).toContain('10月14日');
  });

  it('does not search with a pasted text: too long to be a question', async () => {
    const a = await kb.ask('党建'.repeat(400));
    expect(a).toMatchObject({ found: false, citations: [] });
    expect(a.answer).toContain('问题太长了');
  });

  it('says when the documents do not speak of the subject, names the closest topic, and invents nothing', async () => {
    const a = await kb.ask('预备党员的预备期是多久？');
    expect(a).toMatchObject({ kind: 'none', found: false, citations: [] });
    expect(a.answer).toContain('已载入的文件中没有找到');
    expect(a.answer).toContain('相近的内容是《');
    // 到期 is a word of the question though 到 is spoken language elsewhere (交到): the part asks
    // what happens when the 预备期 ends, and 师德's 处理办法 is no answer (r25-58).
    const expiry = await kb.ask('预备党员要预备多久？到期没转正咋处理');
    expect(expiry.kind).not.toBe('direct');
    expect(expiry.answer).toContain('没有直接规定');
  });

  it('quotes the closest rule as such when the documents speak of the subject but do not give what was asked', async () => {
    const a = await kb.ask('党员每个月按工资交多少比例的党费？');
    expect(a.kind).toBe('related');
    // What is not set, in the documents' terms: not the member's message echoed.
    expect(a.answer).toMatch(/^已载入的文件没有直接规定党费的比例，相关规定是：\n- /);
    expect(a.answer).toContain('党费收缴');
    // The 2% of the activity funds is another rule's figure.
    expect(a.answer).not.toContain('%');
  });

  it('quotes the rules on the subject asked, not on the situation the member describes, and never echoes them', async () => {
    // 民办 is the member's situation; 党费 is what they ask about.
    const dues = await kb.ask('我们学校民办的，党费按啥比例交');
    expect(dues.answer).toMatch(/^已载入的文件没有直接规定党费的比例，相关规定是：\n- [^\n]*党费/);
    expect(dues.answer).not.toContain('民办学校');
    const term = await kb.ask('问个基础的，我们学校党支部委员会一届干几年');
    expect(term.kind).toBe('related');
    expect(term.answer).not.toMatch(/问个基础|我们学校/);
  });

  it('spells out a term asked of in its own words (帐啥单啥) where the documents define it', async () => {
    const a = await kb.ask('我们也想学金凤搞三帐二单一图，帐啥单啥图啥？');
    expect(a.kind).toBe('direct');
    expect(a.answer).toMatch(/^3\.三帐二单一图：工作事项台账、问题整改台账/);
  });

  it('takes a term the member quotes before the question as what is asked, and quotes a rule once', async () => {
    // The documents never speak of 政治生日: a rule on 做法 in general is not its answer.
    const birthday = await kb.ask('我们想给支部党员过“政治生日”，有没有统一的做法要求？');
    expect(birthday.kind).toBe('related');
    expect(birthday.answer).toMatch(/^已载入的文件没有直接规定/);
    // What to prepare for “四不直接” is not 换届's 提前6个月; the one rule on it is quoted once.
    const visit = await kb.ask(
      '市工委说要用“四不直接”的办法下来蹲点调研，我们县里要提前准备啥吗？四不直接具体是哪四不？',
    );
    expect(visit.answer).not.toContain('6个月');
    expect(visit.citations).toHaveLength(1);
    expect(visit.answer.split('不开会议、不听汇报').length - 1).toBe(1);
  });

  it('never passes off a figure of another subject, place or year as the answer', async () => {
    // 24学时 is the 思政课教师's: the closest rules are those on 党务工作者.
    const subject = await kb.ask('金凤区的党务工作者每年培训要多少学时？');
    expect(subject.kind).toBe('related');
    expect(subject.answer).toMatch(/相关规定是：\n- 金凤区教育党工委：[^\n]*党务工作者/);
    expect(subject.answer).not.toContain('24学时');
    // 每月进行意识形态风险分析研判 is 建始's rule, not 瑞安's.
    const place = await kb.ask('瑞安的意识形态风险多久研判一次？');
    expect(place.kind).not.toBe('direct');
    expect(place.answer).not.toContain('每月进行意识形态风险分析研判');
    // The documents set targets up to 2025.
    const year = await kb.ask('瑞安清廉学校2028年要达到多少比例？');
    expect(year.kind).toBe('related');
    expect(year.answer).toContain('没有直接规定');
    // No loaded document is 西夏区's: 金凤区's rule is only related.
    const other = await kb.ask('西夏区的学校每学期意识形态专题会要开几次？');
    expect(other.kind).toBe('related');
    expect(other.answer).toMatch(/^已载入的文件中没有西夏区的文件。已载入的文件没有直接规定/);
    // A province or city by its short name (上海, 深圳: no 市) is a place too; the closest rules each say whose.
    const city = await kb.ask('上海或者深圳那边，民办学校的党组织书记是怎么选派的？有没有现成的文件可以参考？');
    expect(city.kind).toBe('related');
    // (Said once for the message, not again for its second question.)
    expect(city.answer.split('没有上海、深圳的文件').length - 1).toBe(1);
    expect(city.answer).toMatch(
      /^已载入的文件中没有上海、深圳的文件。[^\n]*相关规定是：\n- 固原市教育工作委员会[^\n]*选派党组织书记/,
    );
    const province = await kb.ask('广西的学校每学期意识形态专题会要开几次？');
    expect(province.answer).toMatch(/^已载入的文件中没有广西的文件。/);
    // A district by its full name, of three letters too (红寺堡区), compared with a document's place
    // (金凤) or not: no loaded document is its; a district in a document's place (武进区 in 常州) is it.
    const compared = await kb.ask('兴庆区教育系统今年的党建要点出了没？跟金凤的有啥不一样');
    expect(compared.kind).toBe('related');
    expect(compared.answer).toMatch(/^已载入的文件中没有兴庆区的文件。/);
    const longer = await kb.ask('红寺堡区的党建品牌几年建成');
    expect(longer.answer).toMatch(/^已载入的文件中没有红寺堡区的文件。/);
    // The most specific place named decides: 银川 (which holds 金凤) is only 兴庆区's address, and
    // 一样不 between two places compares them (r25-47).
    for (const q of ['银川兴庆区教育系统的党建要点跟金凤的一样不？', '银川市兴庆区今年的党建要点是啥？']) {
      const addressed = await kb.ask(q);
      expect(addressed.kind).toBe('related');
      expect(addressed.answer).toMatch(/^已载入的文件中没有兴庆区的文件。/);
    }
    const inside = await kb.ask('武进区的学校每季度到联系点几次');
    expect(inside.answer).not.toContain('没有武进区的文件');
    // 宁夏 holds 固原: its document answers; 长治 in 长治久安 is no place.
    for (const q of [
      '宁夏那边支部书记多久要给上级党组织汇报一次工作',
      '为了长治久安，支部书记多久要给上级党组织汇报一次工作',
    ]) {
      const held = await kb.ask(q);
      expect(held.kind).toBe('direct');
      expect(held.answer).toContain('每半年向上级党组织报告1次工作');
    }
  });

  it('answers directly only with a figure of the kind and bound asked, said of the subject asked', async () => {
    // 多少岁 asks an age: 积极分子示范培训班每年1期 counts 期, and gives none (r25-24).
    const age = await kb.ask('入党最低得满多少岁？');
    expect(age.kind).toBe('related');
    expect(age.answer).toContain('没有直接规定');
    // 确保每年发展一名 is a least, not a most; 三个名册 counts 名册, not 党员.
    const most = await kb.ask('一年最多能发展几个党员');
    expect(most.kind).toBe('related');
    // 常态化 says it is regular, not how often.
    const often = await kb.ask('主题党日多久搞一次');
    expect(often.kind).toBe('related');
    // The segmenter's 向上|级 still holds 上级: the figure is said of the subject.
    const report = await kb.ask('支部书记多久要给上级党组织汇报一次工作');
    expect(report.kind).toBe('direct');
    expect(report.answer).toContain('每半年向上级党组织报告1次工作');
    // A year (2020年) is no duration: a preamble (现就…通知如下) says nothing of how often, whoever asks.
    for (const q of ['我是党小组长，党小组会多久开一次才算合规？', '作为党小组长，党小组会多久开一次？']) {
      const group = await kb.ask(q);
      expect(group.kind).toBe('related');
      expect(group.answer).toMatch(/^已载入的文件没有直接规定/);
    }
    // A period asked of with no figure (每个月有没有补贴) is said of that period: a rule against
    // 违规发放津补贴 says nothing of a monthly allowance.
    const allowance = await kb.ask('我是区里派到民办学校的党建指导员，每个月有没有工作补贴？标准大概多少？');
    expect(allowance.kind).toBe('related');
  });

  it.each([
    '特色宣讲活动一般安排在哪个月？',
    '专题轮训是哪一个月开始搞？',
    '瑞安的清廉学校评选放在哪月？',
    '党建品牌创建活动哪个月启动',
  ])('%s: asks a time (哪个月), which a sentence naming the activity without one does not give', async (question) => {
    const a = await kb.ask(question);
    expect(a.kind).toBe('related');
    expect(a.answer).toMatch(/^已载入的文件没有直接规定[^，\n]*的时间，相关规定是：/);
  });

  it.each([
    '党费每月几号前交？退休党员也要交吗',
    '组织生活会每年啥时候开？我们幼儿园支部也要开吗',
    '年度考核材料什么时候报？民办学校也需要报吗',
  ])('%s: a part asking whether the act asked of before applies reads it of that act’s subject', async (question) => {
    // No sentence of the documents speaks of both: no direct answer (r44-11's 校长 for 个人有关事项报告).
    const a = await kb.ask(question);
    expect(a.kind).toBe('related');
  });

  it.each(['今年工资涨了，党费是不是也跟着涨？', '老师们工资都涨了，党费是不是也要随着涨？'])(
    '%s: asked whether a thing follows what the member reports, a rule on the thing alone is only related',
    async (question) => {
      const a = await kb.ask(question);
      expect(a.kind).toBe('related');
      // The rules quoted are those on the thing asked of (党费), not on what the member reports.
      expect(a.answer).toMatch(/相关规定是：\n- [^\n]*党费/);
    },
  );

  it.each(['假如我们评上了五星级基层党组织，经费能给多少', '一旦成了五星级党组织，工委拨的经费有多少？'])(
    '%s: asked under a case supposed, quotes the rule on that case first, never another rule’s figure as the answer',
    async (question) => {
      const a = await kb.ask(question);
      expect(a.kind).toBe('related');
      // The rule on that case first: 活动经费不低于学校公用经费的2% is every school's, never its answer.
      expect(a.answer).toMatch(
        /^已载入的文件没有直接规定[^\n]*\n- [^\n]*“五星级基层党组织”划拨一定经费进行重点支持培育/,
      );
    },
  );

  it('reads a case supposed (要是被定为后进) as part of what is asked: a stage’s span is no time to put it right', async () => {
    const a = await kb.ask('要是被定为后进党组织，多长时间内要整改完？');
    expect(a.kind).toBe('related');
  });

  it('reads who the member says they are as their situation, not as what they ask about', async () => {
    // 纪检委员问下 brings the 纪检小组 rule no more than the question alone does.
    const asked = await kb.ask('纪检委员问下，廉政风险多久排查一次');
    expect(asked.answer).toBe((await kb.ask('廉政风险多久排查一次')).answer);
    expect(asked.answer).not.toContain('纪检小组');
  });

  it.each(['一岗双责是什么意思？', '什么叫一岗双责', '一岗双责'])(
    '%s: not defined, and what the documents require of 班子成员',
    async (question) => {
      const a = await kb.ask(question);
      expect(a.kind).toBe('related');
      expect(a.answer).toMatch(/^已载入的文件没有给“一岗双责”下定义，文件中关于它的规定是：\n- /);
      expect(a.answer).toContain('班子成员落实好分管领域党建工作责任');
      expect(a.answer).toMatch(/固原市教育工作委员会[^\n]*班子成员/);
      // Not the glossary entry that only names it among the 12345 working ideas.
      expect(a.answer).not.toContain('12345');
      // Each line the sentence that speaks of it, not its paragraph nor its long lead-in.
      expect(a.answer).not.toContain('深化“清风校园”建设');
      expect(a.answer).not.toContain('工委(党委)书记要切实提高政治站位');
      expect(a.answer.length).toBeLessThan(300);
      expect(a.citations.map((c) => c.issuer)).toContain('中共建始县教育局委员会');
    },
  );

  it('reads a question that points back (这三类) as about what was named before it', async () => {
    const a = await kb.ask('清廉学校有引领型、规范型、提升型三种，这三类各有啥评定标准？');
    expect(a.kind).toBe('related');
    expect(a.answer).toContain('引领型、规范型、提升型分别要达到15%、50%、70%左右');
    // Not another document's 分数评定, which has the question's words but none of its things.
    expect(a.answer).not.toContain('分数评定');
  });

  it('reads 是啥频率 as asking how often, not what a thing is', async () => {
    const a = await kb.ask('天宁的党支部书记集中培训是啥频率？');
    expect(a.kind).toBe('direct');
    expect(a.answer).toMatch(/^[^\n]*每半年接受一次集中培训/);
    expect(a.answer).not.toContain('下定义');
  });

  it('quotes each place of the one document that uses an undefined term', async () => {
    const a = await kb.ask('“四比三优两满意”是啥意思');
    expect(a.answer).toContain('没有给“四比三优两满意”下定义');
    expect(a.answer).toContain('在各支部开展“三亮三比一争优”和“四比三优两满意”活动');
    expect(a.answer).toContain('激发党员自觉发挥先锋模范作用');
  });

  it('says a term is only used, not defined, and what the documents require about it', async () => {
    const a = await kb.ask('什么是三审三校？');
    expect(a.answer).toContain('没有给“三审三校”下定义');
    expect(a.answer).toContain('严格执行信息“三审三校”制度');
  });

  it('quotes a definition where a document gives one, also for the member’s spelling of the term', async () => {
    for (const question of ['三帐二单一图是什么？', '三账两单一图是啥意思']) {
      const a = await kb.ask(question);
      expect(a.kind).toBe('direct');
      expect(a.answer).toContain('工作事项台账、问题整改台账');
    }
  });

  it('never takes a word inside a cited title, or the kind asked alone, as what was asked', async () => {
    // 处分 is asked for 有偿家教; the documents name 处分 only in 《纪律处分条例》 and in a grading rule.
    const fee = await kb.ask('有老师搞有偿家教被人举报了，该给个什么处分？');
    expect(fee.kind).not.toBe('direct');
    expect(fee.answer).toContain('没有直接规定');
    // The 准则 asked for is only the name of the 准则 a document studies: no rule of them is given.
    const norms = await kb.ask('幼儿园老师要守什么准则？');
    expect(norms.kind).toBe('related');
  });

  it('quotes a related rule on to the next clause of its sentence, where the way it asks for goes on', async () => {
    const a = await kb.ask('党员干部刚露出点苗头性问题，纪检小组怎么处理？');
    expect(a.answer).toContain('及时提醒谈话、批评教育；继续举办思想素质提升班');
  });

  it('reads a city named with its district (常州天宁) as one place, and answers each part of the message', async () => {
    const a = await kb.ask('常州天宁那个组织建设年的文件是哪年印发的？实施方案几号前报上去、报到哪？');
    expect(a.answer).toContain('2012年');
    expect(a.answer).toContain('3月26日之前');
    expect(a.answer).toContain('送至局组织科');
  });

  it('asked when and how to hand something in, quotes the line that gives both', async () => {
    for (const question of [
      '瑞安的意见稿，学校的意见什么时候前交，交到哪里？',
      '征求意见稿的意见怎么交？最晚什么时候？',
      // However the hand-in (交, 报, 提) and the deadline (截止, 几号, 最晚哪天) are said, apart or together.
      '瑞安那个征求意见稿我们想提点意见，咋交？截止到啥时候？',
      '瑞安那个意见稿，意见怎么提、几号前',
      '对瑞安的方案有意见，往哪报，最晚哪天',
      '瑞安那个征求意见稿，咋交？截止到啥时候？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('10月14日下午5点前');
      expect(a.answer, question).toContain('盖章扫描后发送至邮箱');
      // The cover note, quoted once although both parts of the message find it.
      expect(a.answer.split('逾期未反馈视为无意见').length - 1).toBe(1);
    }
  });

  it('compares one duty place by place with each document’s rule on it, and says how often where a document does', async () => {
    for (const question of [
      '领导联系基层这个制度，固原、建始、天宁各怎么规定的？有没有说多久下去一次',
      '班子成员联系基层支部这事，固原和建始的要求有啥区别？多久去一次？',
      '领导干部联系点这块，固原、建始、天宁各是咋规定的，多久要去一趟',
      '班子成员下去联系学校，固原和建始各怎么规定的，多久一次？',
    ]) {
      const a = await kb.ask(question);
      const line = (place: string) => a.answer.split('\n').find((l) => l.includes(place)) ?? '';
      expect(a.kind, question).toBe('direct');
      expect(line('固原'), question).toContain('每季度到联络点不少于1次');
      // 建始's rule on the duty, not its 讲党课每年1次 nor 每季度清理 of another matter.
      expect(line('建始'), question).toContain('党建工作联系点制度');
      expect(line('建始'), question).toContain('没有直接规定频次');
      expect(line('建始'), question).not.toMatch(/讲党课|清理/);
      if (question.includes('天宁')) expect(line('天宁'), question).toContain('定点联系指导基层单位');
    }
  });

  it('asked what a verb looks at (看哪几个方面), quotes the clauses of that verb, not another verb’s numbered set', async () => {
    for (const question of [
      '年底市里考核我们学校党组织，重点看哪几个方面？',
      '上级考核学校党组织主要看哪些？',
      '年终考核时对基层党组织看什么',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('看党员群众的满意度');
      expect(a.answer, question).not.toContain('一是强化');
    }
  });

  it('asked one thing of handing in (a process, where, by when), quotes the document’s lines that give a date and where it goes', async () => {
    for (const [question, lines] of [
      ['瑞安那个征求意见稿，反馈意见要走啥流程？截止到几号几点？', ['反馈至局党建科', '10月14日下午5点前']],
      ['瑞安的修改意见往哪儿交', ['反馈至局党建科', '10月14日下午5点前']],
      ['分类定级表和整改表填完了，交到哪儿、最晚哪天？', ['3月26日之前', '送至局组织科']],
      ['天宁那边进展情况要报到哪个科', ['3月26日之前', '送至局组织科']],
      ['天宁的实施方案什么时候之前报上去', ['3月26日之前', '送至局组织科']],
    ] as const) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      for (const line of lines) expect(a.answer, question).toContain(line);
    }
    // Not where a document names none of what is handed in.
    const leave = await kb.ask('组织生活会请假要写书面的吗？交给谁');
    expect(leave.kind).not.toBe('direct');
    expect(leave.answer).not.toContain('送至局组织科');
  });

  it('asked by when, where and whether sealed in bare parts, answers each from the hand-in lines, each quoted once', async () => {
    for (const question of [
      '瑞安征求意见稿要反馈意见，几号截止？发哪儿？要不要盖章？',
      // However each part is said: 截止到哪天, 往哪发, 交给谁; 要盖章吗, 要负责人签字吗, 要校长签字吗.
      '瑞安的征求意见稿，截止到啥时候？往哪发？要盖章吗',
      '瑞安那个方案的意见几号前交？交给谁？要负责人签字吗？',
      '对瑞安那个方案提意见，要校长签字吗？截止到哪天？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('10月14日下午5点前');
      expect(a.answer, question).toContain('盖章扫描后发送至邮箱');
      expect(a.answer.split('盖章扫描后发送至邮箱').length - 1, question).toBe(1);
      expect(a.answer.split('逾期未反馈视为无意见').length - 1, question).toBeLessThanOrEqual(1);
    }
  });

  it('asked how and by when to hand in, in the cover note’s own words, quotes the reply line elsewhere in the document too', async () => {
    for (const question of [
      '瑞安那个征求意见稿，各单位的意见怎么反馈？截止到啥时候？',
      '意见怎么反馈？截止到啥时候？',
      '征求意见稿的意见反馈到哪？最晚几号？',
      '瑞安那个征求意见稿，意见咋反馈，几号截止？',
      '对瑞安的征求意见稿有意见，如何反馈？最迟哪天？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('反馈至局党建科');
      expect(a.answer, question).toContain('10月14日下午5点前');
      expect(a.answer, question).toContain('盖章扫描后发送至邮箱');
    }
  });

  it('asked of a city with the document’s county in it ruled out, says no document is the city’s, and gives no direct answer', async () => {
    for (const question of [
      '温州市本级对清廉学校有没有比例要求？不是瑞安那个，是温州市的',
      '不要瑞安的，温州市对清廉学校的比例要求是多少？',
      '温州市对清廉学校有比例要求吗？别拿瑞安的来说',
      '除了瑞安以外，温州对清廉学校的比例是怎么定的？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).not.toBe('direct');
      expect(a.answer, question).toMatch(/^已载入的文件中没有温州的文件。/);
    }
    // The city asked of itself still names the county's document in it; the county asked twice is not ruled out.
    for (const question of ['温州对清廉学校有比例要求吗', '瑞安对清廉学校有比例要求吗？是不是瑞安的文件里有']) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('分别要达到15%、50%、70%左右');
    }
  });

  it('searches a quoted number that names something (“1447”) as the documents’ word', async () => {
    for (const question of [
      '金凤区老提“1447”，这几个数字分别代表啥？',
      '金凤的1447是什么',
      '“1447”总体发展思路指的是啥',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).not.toBe('none');
      expect(a.answer, question).toContain('“1447”总体发展思路');
    }
  });

  it('finds the closest rule by the question’s rare words when most of its words are not the documents’', async () => {
    // 现成、条款、模板、照抄 are no words of the documents; 学校章程 is, in 纳入学校章程.
    for (const question of [
      '要把党建写进我们学校章程，有没有现成的条款模板可以照抄？',
      '学校章程里党建那部分怎么写，有范本可以套用吗',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('related');
      expect(a.answer, question).toContain('纳入学校章程');
    }
  });

  it('reads 建不起, 建不了, 建不成 as the documents’ 未建 (应建而未建党组织)', async () => {
    for (const question of [
      '我们几个村小都只有一两个党员，单独建不起支部，天宁那个文件有没有说该咋办？',
      '我们园就两个党员，支部建不成，有啥办法',
      '党员太少建不了支部怎么办',
    ]) {
      const { answer, retrieved } = await kb.explain(question);
      expect(
        retrieved.slice(0, 3).some((r) => r.text.includes('应建而未建党组织')),
        question,
      ).toBe(true);
      expect(answer.answer, question).toContain('挂靠建设、区域联建');
    }
  });

  it('reads 一个人兼 as the documents’ 一肩挑, 兼任, 交叉任职, and gives each place named its line', async () => {
    const a = await kb.ask('书记校长到底要不要一个人兼？固原、金凤、天宁各是啥口径');
    expect(a.answer).toContain('“一肩挑”');
    expect(a.answer).toContain('交叉任职');
    for (const question of ['书记和校长能一人兼吗，天宁怎么说', '天宁的支部书记跟校长能不能一起兼']) {
      expect((await kb.ask(question)).answer, question).toContain('交叉任职');
    }
  });

  it('compares the subject the member names (师德这块), not the words of their own situation', async () => {
    for (const question of [
      '我们学校有个老师体罚学生被家长投诉了。想问下师德这块，几个地方的文件各是咋抓的？',
      '有学生家长说老师收了礼。师德师风这一块，各地的文件分别怎么要求？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain('师德师风示范窗口');
      expect(a.answer, question).toMatch(/^各文件的规定不同：\n- [^\n]*师德/);
    }
  });

  it('gives each place compared its own points on the thing named, from every passage, and a sheet’s bands', async () => {
    const line = (answer: string, place: string) => answer.split('\n').find((l) => l.includes(place)) ?? '';
    for (const question of ['民办学校这方面，固原和瑞安各是怎么抓的', '抓民办学校党建这一块，固原、金凤各有什么做法']) {
      const guyuan = line((await kb.ask(question)).answer, '固原');
      for (const point of ['年检不予通过', '写入学校章程', '列入年度经费预算'])
        expect(guyuan, question).toContain(point);
    }
    for (const question of [
      '天宁给支部打分定级，固原考核不搞分数评定，两地规定有啥不同',
      '固原不给支部打分，天宁有评分表，这两家对考核结果怎么规定',
      '天宁的评分表和固原的考核办法，打分上各是怎么规定的',
    ]) {
      const a = await kb.ask(question);
      expect(line(a.answer, '天宁'), question).toContain('总分90分以上为先进');
    }
  });

  it('compared with a place no document is from, says so for that place and answers nothing directly', async () => {
    for (const question of [
      '兴庆区教育系统的党建要点跟金凤比有啥不同？',
      '西夏区的党建工作跟固原有啥不一样',
      '兴庆区对党员发展的要求和金凤的有哪些不同',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).not.toBe('direct');
      expect(a.answer, question).toMatch(/^已载入的文件中没有(兴庆区|西夏区)的文件。/);
    }
  });

  it('reads 要求不太一样, 几个地方的文件各是 as a comparison: each document’s own rule', async () => {
    const a = await kb.ask('支部书记培训多久一次？几个地方的文件我看着要求不太一样');
    expect(a.answer).toContain('每半年接受一次集中培训');
    expect(a.answer).toContain('示范培训班1期');
    expect(a.answer).toContain('参训率100%');
    const b = await kb.ask('师德师风这块，几个地方的文件各是咋抓的？');
    expect(new Set(b.citations.map((c) => c.docId)).size, b.answer).toBeGreaterThan(2);
  });

  it('asked whether a place’s rule binds the member, says whom the document is sent to, then quotes the rule', async () => {
    const a = await kb.ask('我们学校不归固原管，固原那个活动经费不低于公用经费2%的规定，对我们也适用吗？');
    expect(a.answer).toContain('是发给市直教育体育系统各党委（总支、支部）的（主送）');
    expect(a.answer).toContain('不低于学校公用经费的2%');
    expect(a.citations.some((c) => c.quote.startsWith('市直教育体育系统各党委'))).toBe(true);
    const tianning = await kb.ask('我在天宁之外的学校，天宁的分类定级评分标准也适用我们吗？');
    expect(tianning.answer).toContain('是发给局属各单位党组织的（主送）');
    // Whether a rule is still in force asks nothing of whom its document binds.
    expect((await kb.ask('固原那个党组织活动经费不低于2%的规定现在还有效吗？')).answer).not.toContain('（主送）');
  });

  it('reads a 硬指标 as asking for a figure, and answers with the one the documents set', async () => {
    const a = await kb.ask('金凤对中小学支部发展新党员定了硬指标吗？');
    expect(a.kind).toBe('direct');
    expect(a.answer).toContain('各中小学校党支部确保每年发展一名优秀青年教师入党');
  });

  it('says the document is a draft although the next part of the message quotes the same cover note', async () => {
    const a = await kb.ask('瑞安那个方案是正式稿吗？意见几号前交、咋交？');
    expect(a.answer).toContain('是征求意见稿，不是正式印发的文件');
    expect(a.answer).toContain('10月14日下午5点前');
  });

  it('asked how often, where no document says, quotes the rule that it is done regularly (定期)', async () => {
    const a = await kb.ask('廉政风险点排查隔多长时间搞一回？');
    expect(a.kind).toBe('related');
    expect(a.answer).toContain('定期排查廉政风险点');
  });

  it('asked a share (几个点, 几成, 百分之几), answers only with a share, never a form’s filled-in sum', async () => {
    for (const question of [
      '我们学校老师月工资五千左右，党费按几个点交？',
      '兰陵小学党费按几个点交的？',
      '月薪6000，交几成党费？',
      '党费按工资的百分之几交',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('related');
      expect(a.answer, question).toMatch(/^已载入的文件没有直接规定(\S*党费)?的比例/);
    }
    const share = await kb.ask('分类定级时支部自评占几个点？');
    expect(share.kind).toBe('direct');
    expect(share.answer).toContain('自评占40%');
  });

  it('reads 我们学校 as the member’s own school: a filled-in form of another school does not answer for it', async () => {
    for (const question of ['我们学校上年度党费应缴多少？', '咱学校去年党费实缴数是多少']) {
      const a = await kb.ask(question);
      expect(a.answer, question).not.toContain('6552');
    }
    // A school named by its name still gets its form.
    expect((await kb.ask('兰陵小学上年度党费应缴多少？')).answer).toContain('6552');
  });

  it('gives a list it finds although the listing clause lacks the subject its passage or count holds', async () => {
    // The subject in the item before (…纪检小组要履职尽责) and the sentence's own 日常.
    for (const question of [
      '我是学校纪检委员，建始那边让纪检小组日常重点盯哪几块？',
      '县里纪检小组日常监督重点盯哪几项？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('项目推进、教育扶贫、“三公”经费、食堂管理');
    }
    // The list counted as asked (6块阵地 for 意识形态阵地有哪几块), the subject named nowhere near it.
    for (const question of [
      '学校要守住的意识形态阵地有哪几块？记得固原写了6块',
      '固原说学校意识形态阵地到底要守哪几块',
      '校园里意识形态阵地一共有哪几块',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('课堂、教材、学术活动、学术成果、学生社团、网络等6块阵地');
    }
    // A list near what the member said before asking, not what they asked (哪三个会), is no answer.
    const meetings = await kb.ask('刚入党没多久，老听人说三会一课三会一课，到底是哪三个会、哪一课？');
    expect(meetings.answer).not.toContain('三个名册');
  });

  it('asked the stages of something, lists its sibling stage headings with their time spans, citing each', async () => {
    for (const question of [
      '天宁那个组织建设年活动，从摸底到总结分几步走，各是啥时间段？',
      '天宁的基层组织建设年活动分几个阶段？',
      '天宁的组织建设年活动分哪几步走，各在什么时间段？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toMatch(
        /调查摸底，分类定级，定方案（3月中旬—3月下旬）[\s\S]*整改提高，晋位升级，抓提升（4月上旬—12月底）[\s\S]*总结经验，学习先进，促长效（6月底—12月底）/,
      );
      expect(a.citations.length, question).toBeGreaterThanOrEqual(4);
    }
    // Asked of one stage, the stage answers, not the list of them.
    const one = await kb.ask('调查摸底阶段重点调研哪些方面');
    expect(one.answer).toContain('组织设置是否合理');
  });

  it('masks mobile numbers and e-mail addresses in what it quotes', async () => {
    const a = await kb.ask('兰陵小学党支部书记的电话和邮箱是多少？');
    const text = `${a.answer}${a.citations.map((c) => c.quote).join('')}`;
    expect(text).not.toContain('13961295757');
    expect(text).not.toContain('tjuxwx@163.com');
    expect(text).toContain('139****5757');
  });

  it('gives no rule as the answer that shares only a word of timing with the question (提前, 推迟)', async () => {
    for (const question of [
      '上周支部讨论一位预备党员转正，大家吵起来了：预备期到底一年还是两年？能提前转正吗',
      '预备党员能不能提前转正？',
      '休产假的老师能提前返岗吗',
      '年休假能不能提前休',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).not.toBe('direct');
      expect(a.answer, question).not.toContain('提前6个月通知');
    }
    // Asked of the very rule, it still answers.
    for (const question of ['换届要提前多久通知？', '支部任期满了要提前多长时间通知换届？']) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('提前6个月通知');
    }
  });

  it('answers whether a target per year holds (真的假的, 有没有硬指标) with the sentence setting it', async () => {
    // r50-35, r51-07: 这两年 was read as a coined term (两年一个新…), and 真的假的 as no question at
    // all, so the subject took in the member's own situation: the 总体要求 or a related rule answered.
    for (const question of [
      '听说金凤每所学校每年都要发展一个青年教师入党，真的假的？',
      '我刚调到金凤一所中学，听人说每个学校每年都得发展一名青年老师入党，是真的吗？',
      '我们支部这两年一个党员都没发展，金凤对每年发展青年教师入党有没有硬性要求？',
      '学校这两年一个新党员都没有，金凤每年发展青年教师入党有硬指标吗？',
      '有人说金凤要求每年都要发展一个优秀青年教师入党，靠谱吗？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('每年发展一名优秀青年教师入党');
    }
  });

  it('quotes a compared scoring sheet’s bands from the passage after its weights (固原 vs 天宁 打分)', async () => {
    // r50-36: 天宁's 分为四级 stands in the passage after the weights found, which was all it quoted.
    for (const question of [
      '天宁和固原考核支部，计分方法各是什么',
      '说说固原跟天宁在支部考评打分上的区别',
      '固原和天宁评支部是打分还是定性，有啥区别',
      '固原与天宁对基层党建考核评分的规定有何不同',
      '固原和天宁给支部考核打分的办法有什么区别',
      '两个地方考核党建打不打分，固原和天宁有什么区别',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toMatch(/常天教委[^\n]*60—74分为一般，60分以下为后进/);
    }
  });

  it("leaves a unit's mailbox on a government or school domain readable: it is where work is handed in", async () => {
    for (const question of [
      '天宁的实施方案电子版发哪个邮箱？',
      '天宁那份文件要求把材料发到什么邮箱',
      '组织建设年的进展情况电子版往哪个邮箱报？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain('tjuzz@czedu.gov.cn');
    }
  });

  it("leaves the mailbox a document says to send work to readable on any domain, a contact list's masked", async () => {
    for (const question of [
      '瑞安那个征求意见稿的修改意见发到哪个邮箱？',
      '瑞安的意见稿，盖章扫描后发哪个邮箱',
      '瑞安那份稿子的修改意见几点前发到哪个邮箱？',
    ]) {
      const a = await kb.ask(question);
      expect(`${a.answer}${a.citations.map((c) => c.quote).join('')}`, question).toContain('rajyjjgdw@163.com');
    }
    const contact = await kb.ask('兰陵小学党支部书记的邮箱是多少？');
    expect(`${contact.answer}${contact.citations.map((c) => c.quote).join('')}`).not.toContain('tjuxwx@163.com');
  });
});

describe('the passage around the found sentence', () => {
  it('quotes the sentence that spells out the one found (重点调研…是否…), however the member asks for it', async () => {
    for (const question of [
      '分类定级前要先调研摸底，主要摸哪些情况？',
      '天宁搞调查摸底，重点调研哪些方面？',
      '天宁分类定级要先摸清底数，调研重点看什么？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('组织设置是否合理、领导班子是否健全');
    }
  });

  it('quotes with a figure said 分别 of items the items it points back to', async () => {
    for (const [question, figures] of [
      ['瑞安清廉学校分的那三类，到2024年底各要达到多少？', '25%、70%、90%'],
      ['瑞安的清廉学校，到2025年底引领型、规范型、提升型各要到多少？', '30%、80%、100%'],
    ] as const) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('引领型、规范型、提升型');
      expect(a.answer, question).toContain(figures);
    }
  });

  it('quotes a short figure with the sentence before it naming what it is of (…申报党建创新项目…。争取…项目1个)', async () => {
    for (const question of [
      '金凤区2022年打算建几个党建示范点？区里的创新项目要报几个？',
      '金凤的党建创新项目要申报几个？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain('区级以上项目1个');
      expect(a.answer, question).toContain('申报党建创新项目');
    }
  });

  it('reads the asked thing from the question, not from the story told before it', async () => {
    const county = await kb.ask(
      '我在建始下面一个乡镇中心校当了十来年支部书记。县局的文件对我们基层党组织一年要专门研究几次党建有要求吧？',
    );
    expect(county.kind).toBe('direct');
    expect(county.answer).toContain('每年至少召开2次以上学校党建工作会议');
    const retired = await kb.ask(
      '我们退休支部里有几位老同志原来当过中学校长，聊天说现在学校支部每年都必须发展新党员，是真的吗？一年要发展几个？',
    );
    expect(retired.answer).not.toContain('退休的');
    expect(retired.answer).toContain('每年发展一名优秀青年教师入党');
    // (有几个老师外出培训赶不回来 tells of some teachers: it asks nothing, and no answer is about 外出培训.)
    const meeting = await kb.ask(
      '我们支部下周开党员大会讨论接收预备党员，有几个老师外出培训赶不回来。到会人数至少要过多少才算有效？',
    );
    expect(meeting.answer).not.toContain('外出培训');
  });

  it('answers the other parts of a message whose bands the sheet answers (摸底重点看哪几块？…分几个等级)', async () => {
    for (const question of [
      '我们园支部要先做一次摸底，按天宁的做法重点看哪几块？摸完以后分几个等级？',
      '学校支部下学期要摸底，照天宁的要求重点看什么？摸完分几档？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain('90分以上为先进');
      expect(a.answer, question).toContain('组织设置是否合理');
    }
  });

  it('asked when, gives the span of the stage a rule stands in (（二）…（4月上旬—5月下旬）…对于应建而未建…)', async () => {
    for (const question of [
      '天宁对应建而未建党组织的，要求啥时候建起来？',
      '天宁说通过挂靠建设、区域联建建立党组织，是在哪个阶段、什么时间？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain('（4月上旬—5月下旬）');
      expect(a.answer, question).toContain('应建而未建党组织');
    }
  });

  it('reads 啥时间完成 after a question as asking when that is done: the stage span, the rule quoted once', async () => {
    for (const question of [
      '有的学校还没建党组织，天宁组建年活动里是咋要求补建的，啥时间段完成？',
      '天宁对没建党组织的学校咋要求补建？啥时间完成？',
      '应建而未建党组织的，天宁让怎么办？什么时候完成？',
    ]) {
      const a = await kb.ask(question);
      expect(a.kind, question).toBe('direct');
      expect(a.answer, question).toContain('（4月上旬—5月下旬）');
      expect(a.answer.split('对于应建而未建党组织的').length, question).toBe(2);
    }
  });

  it('asked what their own post does, answers only with a rule about that post', async () => {
    for (const question of ['我刚当组织委员，平时具体负责哪些事？', '我是新来的宣传委员，日常要做哪些工作？']) {
      const a = await kb.ask(question);
      expect(a.kind, question).not.toBe('direct');
    }
    const discipline = await kb.ask('我是支部纪检委员，平时日常监督该重点盯哪些事？');
    expect(discipline.answer).toContain('“三公”经费');
  });

  it("quotes a cover note's 主送 lines only when asked of the document or of handing in", async () => {
    for (const question of [
      '我刚当组织委员，平时具体负责哪些事？跟宣传委员怎么分工？',
      '我刚当组织委员，平时具体负责哪些事？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).not.toContain('各教育学区党委、各中小学党组织：');
    }
    const comments = await kb.ask('瑞安那份征求意见稿，学校要提意见的话走啥流程？');
    expect(comments.answer).toContain('单位主要负责人审核盖章');
  });
});

describe('evaluation sets', () => {
  const run = (file: string) =>
    evaluate(
      {
        ask: async (q) => {
          const { answer, retrieved } = await kb.explain(q);
          return { ...answer, retrieved };
        },
      },
      loadEval(file),
    );

  /** hit@3, key facts (questions, facts), correct refusals, as last measured; invented answers: none but a ceiling named here. */
  type Level = { hitAt3: number; keyFacts: number; facts: number; refusals: number; invented?: number };
  const ROUND_LEVELS: Record<string, Level> = {
    'round10.jsonl': { hitAt3: 0.96, keyFacts: 0.96, facts: 0.95, refusals: 1 },
    'round11.jsonl': { hitAt3: 0.98, keyFacts: 0.96, facts: 0.97, refusals: 1 },
    // Measured once on 9c8ef6d, as written; development data from then on.
    'round12.jsonl': { hitAt3: 0.98, keyFacts: 0.94, facts: 0.95, refusals: 1 },
    'round13.jsonl': { hitAt3: 0.98, keyFacts: 0.86, facts: 0.92, refusals: 1 },
    // Measured once on 0ec0c25, as written; development data from then on.
    'round14.jsonl': { hitAt3: 1, keyFacts: 0.96, facts: 0.97, refusals: 1 },
    'round15.jsonl': { hitAt3: 0.98, keyFacts: 0.92, facts: 0.91, refusals: 1 },
    // Measured once on 0c87190, as written; development data from then on.
    'round16.jsonl': { hitAt3: 0.98, keyFacts: 0.96, facts: 0.96, refusals: 1 },
    'round17.jsonl': { hitAt3: 0.94, keyFacts: 0.94, facts: 0.97, refusals: 1 },
    // Measured once on ddd0d45, as written; development data from then on.
    'round18.jsonl': { hitAt3: 0.96, keyFacts: 0.98, facts: 0.99, refusals: 1 },
    'round19.jsonl': { hitAt3: 0.94, keyFacts: 0.92, facts: 0.93, refusals: 1 },
    // Measured once on 8b66478, as written; development data from then on.
    'round20.jsonl': { hitAt3: 0.96, keyFacts: 0.92, facts: 0.94, refusals: 1 },
    'round21.jsonl': { hitAt3: 0.95, keyFacts: 0.91, facts: 0.95, refusals: 1 },
    // Measured once on 973f116, as written; development data from then on.
    'round22.jsonl': { hitAt3: 0.88, keyFacts: 0.88, facts: 0.95, refusals: 1 },
    'round23.jsonl': { hitAt3: 0.96, keyFacts: 0.9, facts: 0.92, refusals: 1 },
    // Measured once on ef52743, as written; development data from then on.
    'round24.jsonl': { hitAt3: 0.9, keyFacts: 0.86, facts: 0.85, refusals: 0.9, invented: 1 },
    'round25.jsonl': { hitAt3: 1, keyFacts: 0.98, facts: 0.98, refusals: 1 },
    // Measured once on 33ee17c, as written; development data from then on.
    'round26.jsonl': { hitAt3: 0.98, keyFacts: 1, facts: 1, refusals: 1 },
    'round27.jsonl': { hitAt3: 0.96, keyFacts: 0.94, facts: 0.97, refusals: 1 },
    // Measured once on 9f8e9a5, as written; development data from then on.
    'round28.jsonl': { hitAt3: 0.96, keyFacts: 0.9, facts: 0.93, refusals: 1 },
    'round29.jsonl': { hitAt3: 0.94, keyFacts: 0.96, facts: 0.96, refusals: 1 },
    // Measured once on 33af18e, as written; development data from then on.
    'round30.jsonl': { hitAt3: 0.96, keyFacts: 0.88, facts: 0.88, refusals: 1 },
    'round31.jsonl': { hitAt3: 0.94, keyFacts: 0.98, facts: 0.98, refusals: 1 },
    // Measured once on 595cb15, as written; development data from then on.
    'round32.jsonl': { hitAt3: 0.98, keyFacts: 1, facts: 1, refusals: 1 },
    'round33.jsonl': { hitAt3: 0.96, keyFacts: 0.96, facts: 0.98, refusals: 1 },
    // Written after the 12th improvement, measured once on the same code (2f063fc = 595cb15's answers).
    'round34.jsonl': { hitAt3: 0.98, keyFacts: 0.88, facts: 0.91, refusals: 1 },
    'round35.jsonl': { hitAt3: 0.98, keyFacts: 0.94, facts: 0.97, refusals: 1 },
    // Measured once on ff5849e (after the 13th improvement), as written; development data from then on.
    'round36.jsonl': { hitAt3: 0.94, keyFacts: 0.98, facts: 0.99, refusals: 1 },
    'round37.jsonl': { hitAt3: 1, keyFacts: 0.96, facts: 0.96, refusals: 1 },
    // Measured once on 9925beb (after the 14th improvement; 38/39 written while it was made, 40/41 after), as written.
    'round38.jsonl': { hitAt3: 0.94, keyFacts: 0.86, facts: 0.89, refusals: 1 },
    'round39.jsonl': { hitAt3: 0.9, keyFacts: 0.94, facts: 0.93, refusals: 1 },
    'round40.jsonl': { hitAt3: 1, keyFacts: 0.92, facts: 0.95, refusals: 1 },
    'round41.jsonl': { hitAt3: 0.92, keyFacts: 0.94, facts: 0.96, refusals: 1 },
    // Measured once on 7e8d30c (after the 15th improvement, written while it was made), as written.
    'round42.jsonl': { hitAt3: 0.94, keyFacts: 0.92, facts: 0.93, refusals: 0.9, invented: 1 },
    'round43.jsonl': { hitAt3: 0.96, keyFacts: 0.82, facts: 0.85, refusals: 1 },
    // Measured once on d587243 (after the 16th improvement, written as it landed), as written.
    'round44.jsonl': { hitAt3: 0.94, keyFacts: 0.88, facts: 0.91, refusals: 1 },
    'round45.jsonl': { hitAt3: 0.92, keyFacts: 0.92, facts: 0.94, refusals: 1 },
    // Measured once on 984403b (after the 16th improvement and its review), as written.
    'round46.jsonl': { hitAt3: 0.98, keyFacts: 0.94, facts: 0.96, refusals: 1 },
    'round47.jsonl': { hitAt3: 1, keyFacts: 0.98, facts: 0.99, refusals: 1 },
    // Measured once on 2bf4e67 (after the 17th improvement, written while it was made), as written.
    'round48.jsonl': { hitAt3: 0.96, keyFacts: 0.94, facts: 0.95, refusals: 1 },
    'round49.jsonl': { hitAt3: 1, keyFacts: 0.94, facts: 0.96, refusals: 1 },
    // Measured once on a43f458 (after the 18th improvement, written while it was made), as written.
    'round50.jsonl': { hitAt3: 1, keyFacts: 0.98, facts: 0.96, refusals: 1 },
    'round51.jsonl': { hitAt3: 0.92, keyFacts: 0.86, facts: 0.89, refusals: 1 },
  };
  // The levels measured last (npm run eval prints them), held as floors: the tuned sets, and the
  // blind rounds (development data once measured; tests/qa/rounds/README.md). No set may invent
  // beyond a ceiling its level names.
  const floors: ({ set: string; file: string } & Level)[] = [
    { set: 'the development set', file: EVAL_FILE, hitAt3: 0.99, keyFacts: 0.93, facts: 0.95, refusals: 1 },
    {
      set: 'the nine rounds written without sight of the code',
      file: FRESH_FILE,
      hitAt3: 0.95,
      keyFacts: 0.96,
      facts: 0.97,
      refusals: 1,
    },
    // Each blind round at its last measured level (tests/qa/rounds/README.md). A round added to the
    // folder without a line here fails, so a new round is always measured before it is held.
    ...ROUND_FILES.map((file) => {
      const level = ROUND_LEVELS[basename(file)];
      if (!level) throw new Error(`${basename(file)}: no measured level in tests/qa.test.ts`);
      return { set: basename(file), file, ...level };
    }),
  ];
  it.each(floors)('stays at or above the measured levels on $set', async (f) => {
    const r = await run(f.file);
    expect(r.hitAt3 / r.answerable).toBeGreaterThanOrEqual(f.hitAt3);
    expect(r.keyFacts / r.answerable).toBeGreaterThanOrEqual(f.keyFacts);
    expect(r.factsFound).toBeGreaterThanOrEqual(f.facts);
    expect(r.correctRefusals / r.unanswerable).toBeGreaterThanOrEqual(f.refusals);
    expect(r.invented.length, r.invented.map((i) => `${i.id} ${i.why}`).join('; ')).toBeLessThanOrEqual(
      f.invented ?? 0,
    );
  });
});

describe('ask CLI', () => {
  const env = { ZHIBU_DB: join(mkdtempSync(join(tmpdir(), 'zhibu-ask-')), 'kb.db') };

  it('prints one JSON object with --json', async () => {
    const { stdout } = await runMain(askCli, ['--json', '支部书记多久向上级党组织报告一次工作'], { env });
    const a = JSON.parse(stdout);
    expect(Object.keys(a)).toEqual(['found', 'answer', 'citations', 'kind']);
    expect(a.kind).toBe('direct');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('每半年向上级党组织报告1次工作');
    expect(Object.keys(a.citations[0])).toEqual(['doc', 'title', 'issuer', 'docNo', 'section', 'quote']);
  });

  // The one test that starts a CLI as `npm run` does (the others call its main in-process): the
  // entry runs main on the process's arguments, stdin and stdout, and exits with its code. Starting
  // tsx takes seconds on a busy machine, hence the long timeout.
  it('answers a line per question with --jsonl, keeping ids, and reports a bad line without stopping', async () => {
    const child = execFile('npx', ['tsx', 'bot/cli/ask.ts', '--jsonl'], { env: { ...process.env, ...env } });
    const out = new Promise<{ stdout: string; code: number | null }>((resolve) => {
      let s = '';
      child.stdout?.on('data', (d) => {
        s += d;
      });
      child.on('close', (code) => resolve({ stdout: s, code }));
    });
    child.stdin?.end(
      `${JSON.stringify({ id: 7, question: '三会一课?' })}\nnot json\n${JSON.stringify({ id: 'x', question: '预备期多久' })}\n`,
    );
    const { stdout, code } = await out;
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual([7, null, 'x']);
    expect(lines[0]).toMatchObject({ found: true, kind: 'related' });
    expect(Object.keys(lines[0])).toEqual(['id', 'found', 'answer', 'citations', 'kind']);
    expect(lines[1].error).toBeTruthy();
    expect(lines[2]).toMatchObject({ found: false, kind: 'none', citations: [] });
  }, 120_000);
});

describe('knowledge base CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-kb-'));
  const env = { ZHIBU_DB: join(dir, 'kb.db') };
  const kbCli = (...args: string[]) => runMain(kbMain, args, { env });

  it('adds, replaces, lists and removes a document; refuses a bad file and changes nothing', async () => {
    const file = join(dir, '示例通知.md');
    writeFileSync(
      file,
      '# 关于开展示例活动的通知\n\n一、活动要求\n\n各支部每月开展一次示例学习活动，时间不少于2小时。\n',
    );
    expect((await kbCli('add', file)).stdout).toMatch(/已加入：《关于开展示例活动的通知》/);
    expect((await kbCli('add', file)).stdout).toMatch(/未变化/);
    writeFileSync(
      file,
      '# 关于开展示例活动的通知\n\n一、活动要求\n\n各支部每季度开展一次示例学习活动，时间不少于3小时。\n',
    );
    expect((await kbCli('add', file)).stdout).toMatch(/已更新/);
    const ask = await runMain(askCli, ['--json', '示例学习活动多久开展一次'], { env });
    expect(JSON.parse(ask.stdout).answer).toContain('每季度');

    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '   \n');
    const refused = await kbCli('add', empty);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('文件是空的');
    const bad = join(dir, 'broken.docx');
    writeFileSync(bad, 'this is not a zip file');
    expect((await kbCli('add', bad)).stderr).toContain('不是有效的 .docx 文件');

    const list = (await kbCli('list')).stdout;
    expect(list.split('\n').filter(Boolean)).toHaveLength(6);
    expect((await kbCli('remove', '示例通知.md')).stdout).toContain('已删除《关于开展示例活动的通知》');
    expect((await kbCli('list')).stdout.split('\n').filter(Boolean)).toHaveLength(5);
  });
});

describe('in chat', () => {
  it('answers a question as a card with citations, shows 原文 N, and stores one vote per person', async () => {
    const t = await testBot({ corpus: true });
    try {
      const [card] = cardsIn(await t.say('张伟', 'sim-lanling', '党组织活动经费不低于多少？'));
      expect(card?.title).toBe('政策问答');
      expect(card?.body).toContain('不低于学校公用经费的2%');
      expect(card?.body).toContain('《关于创建“四强化六提升”学校党建品牌的实施方案》(固党教工委〔2022〕23号)');
      expect(card?.status).toContain('原文 1');
      const full = textsIn(await t.say('张伟', 'sim-lanling', '原文 1'));
      expect(full[0]).toMatch(/^【原文 1】《关于创建/);
      expect(full[0]).toContain('民办学校要将党组织活动经费列入年度经费预算');

      const up = card?.actions.find((a) => a.label === '有用')?.id ?? '';
      const down = card?.actions.find((a) => a.label === '没用')?.id ?? '';
      expect(textsIn(await t.click('张伟', card?.id ?? '', up))).toEqual(['谢谢反馈！']);
      await t.click('张伟', card?.id ?? '', down);
      await t.click('李敏', card?.id ?? '', up);
      const votes = await t.db.select().from(qaFeedback);
      expect(votes.map((v) => v.useful).sort()).toEqual([false, true]);
    } finally {
      t.close();
    }
  });

  it('keeps a long answer whole on its card (a platform that cannot show it all sends it ahead)', async () => {
    const t = await testBot({ corpus: true });
    try {
      const [card] = cardsIn(await t.say('张伟', 'sim-lanling', '抓党建述职 几个文件分别怎么安排的'));
      expect(card?.body).toMatch(/^各文件的规定不同：\n- [\s\S]*\n\n\*\*依据\*\*/);
      expect(card?.body?.length).toBeGreaterThan(1000);
      expect(card?.actions.map((a) => a.label)).toEqual(['有用', '没用']);
    } finally {
      t.close();
    }
  });

  it('answers someone outside the roster too', async () => {
    const t = await testBot({ corpus: true });
    try {
      const [card] = cardsIn(await t.say('guest:路老师', 'direct', '三会一课？'));
      expect(card?.title).toBe('政策问答 · 相关规定');
      expect(card?.body).toContain('没有给“三会一课”下定义');
    } finally {
      t.close();
    }
  });

  it('takes a bare term the documents speak of as a question, and small talk still gets the help card', async () => {
    const t = await testBot({ corpus: true });
    try {
      const [duty] = cardsIn(await t.say('张伟', 'direct', '一岗双责'));
      expect(duty?.title).toBe('政策问答 · 相关规定');
      expect(duty?.body).toMatch(/^已载入的文件没有给“一岗双责”下定义，文件中关于它的规定是：/);
      expect(duty?.body).toContain('班子成员落实好分管领域党建工作责任');
      const [meetings] = cardsIn(await t.say('张伟', 'direct', '三会一课'));
      expect(meetings?.body).toContain('没有给“三会一课”下定义');
      const [contact] = cardsIn(await t.say('张伟', 'direct', '联系点'));
      expect(contact?.title).toMatch(/^政策问答/);
      expect(contact?.body).toContain('每季度到联络点不少于1次');
      const [hello] = cardsIn(await t.say('张伟', 'direct', '你好'));
      expect(hello?.title).toBe('支部助手 · 我能做什么');
    } finally {
      t.close();
    }
  });
});

describe('document formats', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-formats-'));

  it('reads a .docx with its title and headings', async () => {
    const file = join(dir, '学习制度.docx');
    writeFileSync(
      file,
      await docx(['关于建立党员学习制度的通知', '一、学习安排', '各党支部每月组织一次集中学习，每次不少于2小时。']),
    );
    const { db, close: done } = openSqlite(':memory:');
    try {
      const r = await addDocumentFile(db, file, 1);
      expect(r).toMatchObject({ status: 'added', title: '关于建立党员学习制度的通知' });
      const a = await new Knowledge(db).ask('党支部集中学习多久一次？');
      expect(a.answer).toContain('每月组织一次集中学习');
      expect(a.citations[0]?.section).toBe('一、学习安排');
      // It names no issuer nor 文号: the answer names it by its title, never by an empty （）.
      expect(a.answer).toContain('（《关于建立党员学习制度的通知》）');
      expect(a.answer).not.toContain('（）');
    } finally {
      done();
    }
  });

  it('reads a text PDF, and refuses one with no text as a scan', async () => {
    const { db, close: done } = openSqlite(':memory:');
    try {
      const text = join(dir, 'rules.pdf');
      writeFileSync(text, pdf('Branch meetings are held every month and last at least two hours.'));
      expect(await addDocumentFile(db, text, 1)).toMatchObject({ status: 'added', passages: 1 });
      const scan = join(dir, 'scan.pdf');
      writeFileSync(scan, pdf(''));
      await expect(addDocumentFile(db, scan, 1)).rejects.toThrow('PDF 里没有文字（可能是扫描件）');
    } finally {
      done();
    }
  });
});

describe('a knowledge base of thousands of documents', () => {
  const text = (s: string) => new TextEncoder().encode(s);

  it("finds an older document's rare rule although newer documents use one of its words in thousands of passages", async () => {
    const { db, close } = openSqlite(':memory:');
    await addDocument(
      db,
      'old.txt',
      text(
        '关于开展红色研学的通知\n\n一、活动安排\n\n各党支部每学期组织一次红色研学，由支部书记带队。\n\n二、总结报送\n\n红色研学结束后一周内，各党支部向教育工委报送活动总结。\n',
      ),
      1,
    );
    // Indexed later: 红色 (a bigram of the rare 红色研学) in more passages than a query may score, none on 研学.
    const lines = Array.from(
      { length: 3 * MATCH_BUDGET },
      (_, i) =>
        `第${i}期红色教育安排在本学期进行，由各党支部组织党员参观红色基地第${i}处，听老党员讲红色故事，重温入党誓词，交流学习体会，每名党员撰写心得一篇并在支部会议上交流。`,
    );
    const added = await addDocument(db, 'new.txt', text(`关于红色教育的安排\n\n${lines.join('\n\n')}\n`), 2);
    expect(added.passages).toBeGreaterThan(MATCH_BUDGET);
    const a = await new Knowledge(db).ask('红色研学多久组织一次？');
    expect(a).toMatchObject({ kind: 'direct', found: true });
    expect(a.answer).toContain('每学期组织一次红色研学');
    expect(a.citations[0]?.doc).toBe('old.txt');
    close();
  });

  it('finds the passage holding both common words of a question made of nothing else', async () => {
    const { db, close } = openSqlite(':memory:');
    await addDocument(
      db,
      'old.txt',
      text('关于规范支部台账的通知\n\n一、建账时间\n\n各党支部每年年初建立工作台账，年中检查，年底交账。\n'),
      1,
    );
    // Indexed later: 台账 and 年初 each in more passages than a query may score, never together.
    const many = (word: string) =>
      Array.from(
        { length: 3 * MATCH_BUDGET },
        (_, i) =>
          `第${i}项：${word}相关事项由各党支部按要求办理，办理情况记入支部会议记录，每名党员应当按时参加支部组织的学习，交流学习体会并撰写心得。`,
      ).join('\n\n');
    await addDocument(db, 'ledgers.txt', text(`关于台账的安排\n\n${many('台账')}\n`), 2);
    await addDocument(db, 'new-year.txt', text(`关于年初工作的安排\n\n${many('年初')}\n`), 3);
    const { retrieved } = await new Knowledge(db).explain('年初台账');
    expect(retrieved[0]?.doc).toBe('old.txt');
    close();
  });
});
