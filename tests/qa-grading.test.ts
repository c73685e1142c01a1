// Computed grading answers: the 分类定级 sheet's arithmetic, each rule cited from the loaded sheet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultCorpus } from '../bot/cli/corpus';
import { gradeOf } from '../handlers/qa/grading';
import { Knowledge } from '../handlers/qa/knowledge';
import { removeDocument } from '../storage/kb';
import { openSqlite } from '../storage/sqlite';

const SHEET = '004_36ca56f47988dc24.txt';
let kb: Knowledge;
let db: ReturnType<typeof openSqlite>;

beforeAll(async () => {
  db = openSqlite(':memory:');
  await ensureDefaultCorpus(db.db);
  kb = new Knowledge(db.db);
});
afterAll(() => db.close());

describe('grading questions', () => {
  it('weighs 自评 40% and 上级考评 60%, grades the total and cites both clauses', async () => {
    const a = await kb.ask('我们支部自评86分，上级考评80分，最后算什么等级？');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('82.4分');
    expect(a.answer).toContain('较好');
    expect(a.citations.map((c) => c.doc)).toEqual([SHEET, SHEET]);
    expect(a.citations[0]?.quote).toContain('自评占40%');
    expect(a.citations[1]?.quote).toContain('75—89分为较好');
  });

  it('grades whole points: 89.6 is 先进, 89.4 较好, 74.5 较好, 59.4 后进', () => {
    expect(gradeOf(89.6).grade).toBe('先进');
    expect(gradeOf(89.4).grade).toBe('较好');
    expect(gradeOf(74.5).grade).toBe('较好');
    expect(gradeOf(74.4).grade).toBe('一般');
    expect(gradeOf(59.4).grade).toBe('后进');
  });

  it('grades a total told with the gap to a line (差这0.4分, 就差1分), quoting the whole band line', async () => {
    // r50-60: the gap was read as a second score, so nothing was computed and no band was quoted.
    for (const question of [
      '我们支部总分59.6分，算一般还是后进？差这0.4分有没有说法？',
      '定级打分合下来74分，就差1分到较好，算什么等级？',
      '我们支部打了88分，离先进还差2分，定几级？',
      '总分59分，只差1分就及格了，这算后进吗',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toMatch(/属于“(一般|较好|后进)”/);
      expect(a.answer, question).toContain('60—74分为一般，60分以下为后进');
    }
  });

  it('says the rounding of a score with a fraction is its own, not the documents’ (they set whole-point bands)', async () => {
    for (const question of ['我们支部总分59.6分，算一般还是后进？', '自评81分，上级考评70分，最后定几级？']) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain('没有规定带小数的分数怎么算');
    }
    // 59.6 is rounded to 60, 81 × 40% + 70 × 60% = 74.4 to 74; 80 × 40% + 70 × 60% = 74 is whole, and says nothing of it.
    expect((await kb.ask('我们支部总分59.6分，算一般还是后进？')).answer).toContain('四舍五入为60分');
    expect((await kb.ask('自评80分，上级考评70分，最后定几级？')).answer).not.toContain('四舍五入');
    expect((await kb.ask('自评81分，上级考评70分，最后定几级？')).answer).toContain('四舍五入为74分');
  });

  it('scores 满意率 and applies the veto below 12 points, citing item 27 and the veto rule', async () => {
    const low = await kb.ask('满意率只有55%会怎样？');
    expect(low.answer).toContain('11分');
    expect(low.answer).toContain('直接定为后进');
    expect(low.citations.map((c) => c.quote).join()).toContain('得分=20*满意率');
    const ok = await kb.ask('满意率是80%呢');
    expect(ok.answer).toContain('16分');
    expect(ok.answer).toContain('不会因此直接定为后进');
  });

  it('answers an item’s points, the 满意率 formula and a veto from the sheet, quoting the row or clause', async () => {
    const dues = await kb.ask('党费收缴在评分表里占几分');
    expect(dues.answer).toMatch(/^评分表“党员队伍好”部分第13项（满分2分）：党费收缴管理制度落实到位/);
    expect(dues.answer).toContain('依据：“党员队伍好15分：13．党费收缴管理制度落实到位，党费及时足额收缴。2分”');
    const formula = await kb.ask('群众反映好 怎么算分');
    expect(formula.found).toBe(true);
    expect(formula.answer).toContain('得分 = 20 × 满意率');
    expect(formula.answer).toContain('（得分=20*满意率）');
    const veto = await kb.ask('有个党员去年受了行政处罚，我们支部今年还能评先进吗');
    expect(veto.answer).toContain('直接定为后进');
    expect(veto.citations[0]?.quote).toContain('行政处罚');
    // Nothing in the sheet matches: no item is made up.
    const unknown = await kb.ask('升旗仪式在评分表里占几分');
    expect(unknown.kind).not.toBe('direct');
    expect(unknown.answer).not.toMatch(/评分表“|满分\d+分/);
  });

  it('adds up a sheet from the items that lost points, the rest being full', async () => {
    const a = await kb.ask(
      '除了第26条只拿了2分、第27条满意率80%，其他条目都满分；自评和上级评分一样，最终多少分啥等级？',
    );
    expect(a.answer).toMatch(
      /^按评分表（满分100分）：第26项（[^）]+）满分5分、得2分，“群众反映好”= 20 × 满意率 = 20 × 80% = 16分，其余满分，合计93分。/,
    );
    expect(a.answer).toContain('属于“先进”');
    // Items named by their words, not their numbers, and each named in the sum.
    const worded = await kb.ask('自评时活动经费那条扣了2分、党员示范岗那条扣了1分，其余全满分，总分多少？够不够先进？');
    expect(worded.answer).toMatch(
      /^按评分表[^\n]*第18项（党支部活动经费[^\n]*第19项（[^）]*党员示范岗[^\n]*合计97分。属于“先进”/,
    );
    // An item cannot score more than it is worth: nothing is computed.
    const impossible = await kb.ask('第26条拿了8分，其他都满分，算多少分');
    expect(impossible.answer).not.toContain('合计');
  });

  it('reads each row named by its content with its own score, sums the part named from its rows and quotes each row', async () => {
    for (const question of [
      '工作机制那部分，三会一课我打2分、经费没单独列预算打1分，其他都满分，这块合计多少？',
      '工作机制好这块，经费没列进预算只拿了1分，三会一课打了2分，其余满分，这部分多少分？',
      '我们支部三会一课落实得一般给了2分，活动经费没列预算给1分，别的都满分，工作机制这块能得几分',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toMatch(/第15项（严格落实“三会一课”[^）]*）满分3分、得2分/);
      expect(a.answer, question).toMatch(/第18项（[^）]*经费列入学校预算[^）]*）满分3分、得1分/);
      expect(a.answer, question).toContain('合计97分');
      expect(a.answer, question).toContain('“工作机制好”满分20分、得17分');
      const quoted = a.citations.map((c) => c.quote).join('\n');
      expect(quoted, question).toContain('严格落实“三会一课”');
      expect(quoted, question).toContain('经费列入学校预算');
    }
  });

  it('asked the points of several rows told as problems, quotes each row with its points', async () => {
    for (const question of [
      '党员队伍那一块我们有两个问题：两名党员党费拖了半年没交齐，去年也没人递入党申请。这块满分多少？这两条各占几分',
      '评分表里，两名党员党费好几个月没交，还有今年没有老师递入党申请，这两条各值几分？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toMatch(/第13项（满分2分）：党费收缴管理制度落实到位/);
      expect(a.answer, question).toMatch(/第12项（满分2分）：新发展党员质量不断提高/);
    }
  });

  it('turns a 满意率 into points and points back into a 满意率, and leaves other ratings alone', async () => {
    expect((await kb.ask('满意度测评满意率出来是85%，群众反映好那项能得几分？')).answer).toContain('= 17分');
    expect((await kb.ask('群众反映好自评填了18分，这相当于满意率多少')).answer).toContain('18 ÷ 20 = 90%');
    // 民主评议党员 has grades of its own, which no loaded document sets.
    const other = await kb.ask('民主评议党员评出来分几档？');
    expect(other.kind).not.toBe('direct');
    expect(other.answer).not.toMatch(/先进|较好|后进/);
  });

  it('says how many points a score lacks for the grade asked, or the next one up, with its band', async () => {
    const next = await kb.ask('我们支部总分72，算哪档？差几分能上较好');
    expect(next.answer).toMatch(/^总分72分属于“一般”[^\n]*离“较好”（75—89分为较好）还差 75 − 72 = 3分。/);
    const named = await kb.ask('自评80，上级考评70，还差多少分能评先进');
    expect(named.answer).toContain('= 74分，属于“一般”');
    expect(named.answer).toContain('离“先进”（90分以上为先进）还差 90 − 74 = 16分。');
    // Not asked, not said.
    expect((await kb.ask('总分72算哪档')).answer).not.toContain('还差');
  });

  it('grades a total however the member words it', async () => {
    const a = await kb.ask('我们支部最后算下来82分，属于哪一档？');
    expect(a.answer).toMatch(/^总分82分属于“较好”/);
    // The two scores in either order, however they are said.
    const reversed = await kb.ask('上级打了70，我们自评80，按比例算下来是一般还是较好啊');
    expect(reversed.answer).toContain('= 80 × 40% + 70 × 60% = 74分，属于“一般”');
    const own = await kb.ask('我们支部自己打了80分，上级考评给了90分，最后算多少分？');
    expect(own.answer).toContain('= 86分，属于“较好”');
  });

  it('reads who gave each score by any name (局里, 上面) and each part’s points however said', async () => {
    const bureau = await kb.ask('自己打了88分，局里给了80分，最后总分按多少算');
    expect(bureau.answer).toContain('= 88 × 40% + 80 × 60% = 83.2分，属于“较好”');
    const parts = await kb.ask('领导班子满分，党员队伍扣了2分，工作机制扣了5分，工作业绩扣了3分，满意率80%，总分多少');
    expect(parts.answer).toMatch(
      /^按评分表（满分100分）：.*“党员队伍好”满分15分、得13分.*= 16分，合计86分。属于“较好”/,
    );
    // Parts by their short names, with or without 分: added up, never one part taken as the total.
    for (const [q, sum] of [
      ['自评算下来班子18、队伍12、机制14、业绩17，满意率65%，总分多少？算哪级', /= 13分，合计74分。属于“一般”/],
      ['班子12分、队伍9分、机制10分、业绩11分，满意率80%。够不够60分？', /= 16分，合计58分。属于“后进”/],
      ['领导18、党员12、机制14、业绩17，群众13，算哪级', /“群众反映好”得13分，合计74分。属于“一般”/],
    ] as const) {
      const short = await kb.ask(q);
      expect(short.answer).toMatch(sum);
      expect(short.answer).not.toMatch(/总分1\d分/);
    }
    // The rest said to be full, one part low: the veto applies whatever the total.
    const low = await kb.ask('前面四大块基本都是满分，就是群众满意度那一块只拿了11分，这样还能评先进吗？');
    expect(low.answer).toContain('合计91分；但“群众反映好”只有11分，低于12分，按规定直接定为后进');
    // A 比例 an item asks for is not the weights of 自评 and 考评.
    const ratio = await kb.ask('打分表里说党员教师比例要“较高”，多少算较高？有具体比例吗？');
    expect(ratio.answer).not.toContain('自评占40%');
    expect(ratio.answer).toContain('党员教师占全体教师的比例');
  });

  it('reads the other parts given one by one in the sheet order, and a 满意率 given as counts', async () => {
    const each = await kb.ask(
      '帮我算下：满意度问卷发了200份，满意的170份；其他四块自评分别是19、13、17、22，总分多少，算啥档？',
    );
    expect(each.answer).toMatch(
      /^按评分表[^\n]*“领导班子好”满分20分、得19分，“党员队伍好”满分15分、得13分，“工作机制好”满分20分、得17分，“工作业绩好”满分25分、得22分，满意率 = 170 ÷ 200 = 85%，“群众反映好”= 20 × 满意率 = 20 × 85% = 17分，合计88分。属于“较好”/,
    );
    const rate = await kb.ask('发了50份问卷，满意的40份，群众反映好能得几分');
    expect(rate.answer).toMatch(/^满意率 = 40 ÷ 50 = 80%，“群众反映好”得分 = 20 × 满意率 = 20 × 80% = 16分。/);
  });

  it('adds the other parts given together, as a sum or as the points they lost', async () => {
    const sum = await kb.ask('满意率测出来90%，群众反映那项得几分？其他四块加起来65分，总分算啥档？');
    expect(sum.answer).toMatch(/^按评分表[^\n]*= 20 × 90% = 18分，其余部分满分80分、得65分，合计83分。属于“较好”/);
    const lost = await kb.ask('对着评分表自查：满意率90%，另外四大块加起来一共丢了8分。总分多少？够得上先进吗？');
    expect(lost.answer).toMatch(/其余部分满分80分、得72分，合计90分。属于“先进”/);
    // 总分 after the other parts were spoken of is the whole sheet's, not theirs.
    const total = await kb.ask('满意率只有55%，其他几块分都挺高，总分能到85，最后会定成啥级？');
    expect(total.answer).not.toContain('其余部分');
  });

  it('shows how a 满意率 became the points that put a branch down, whatever its total, and cites the formula', async () => {
    const a = await kb.ask('满意率只有55%，其他几块分都挺高，总分能到85。按天宁的评分办法，最后会定成啥级？');
    expect(a.answer).toMatch(/^总分85分按分数线属于“较好”；但“群众反映好”= 20 × 满意率 = 20 × 55% = 11分，低于12分/);
    expect(a.citations.map((c) => c.quote).join()).toContain('得分=20*满意率');
    // Beside a weighted final score too.
    const weighed = await kb.ask('自评92，上级88，但是满意率只有50%，定什么级');
    expect(weighed.answer).toContain('= 89.6分；但“群众反映好”= 20 × 满意率 = 20 × 50% = 10分，低于12分');
  });

  it('reads a branch without activities for a year however it is said, and names an item by its one word', async () => {
    const idle = await kb.ask('有个支部一年多没组织过任何活动，自评打了88分，按天宁的标准这个支部该怎么定？');
    expect(idle.answer).toContain('直接定为后进');
    expect(idle.answer).toContain('一年以上没有开展活动');
    // The activity named first: 一次活动都没搞, 活动一次也没开展 (for half a year, the line is not met).
    const first = await kb.ask('有个村小支部就3个党员，去年一整年一次活动都没搞，自评倒有70多分，按天宁的办法咋定级？');
    expect(first.answer).toMatch(/^按评分标准，这属于“直接定为后进”的情形（一年以上没有开展活动）/);
    const half = await kb.ask('支部半年活动一次也没开展，总分80能评较好吗');
    expect(half.answer).toContain('所说的情形不满足“一年以上没有开展活动”');
    const dues = await kb.ask('党费拖了小半年才交齐，分类定级时这块会扣多少分？');
    expect(dues.answer).toMatch(/^评分表“党员队伍好”部分第13项（满分2分）/);
  });

  it('knows a punishment by its name (拘留 is a 行政处罚, 判刑 a 刑事处罚) as a veto', async () => {
    const detained = await kb.ask('支部有个党员前阵子因为打架被拘留了五天，我们总分91，还能评先进吗？');
    expect(detained.answer).toContain('直接定为后进');
    expect(detained.answer).not.toMatch(/属于“先进”（/);
    const sentenced = await kb.ask('我们自评90、上级考评92，可有个党员今年被判刑了，定啥级？');
    expect(sentenced.answer).toMatch(/= 91.2分；但“被判刑”属于刑事处罚，所说的情形属于“直接定为后进”的情形/);
  });

  it('knows each kind of punishment the veto line names in a teacher’s plain words, says which kind, and quotes the line', async () => {
    for (const [said, words, kind] of [
      ['支部里有位党员老师去年喝酒开车被交警罚了款，我们其他各项打下来有92分，还能评先进不？', '罚了款', '行政处罚'],
      ['有党员老师酒驾被吊销了驾照，总分95，支部还能评先进吗', '吊销了驾照', '行政处罚'],
      ['有个党员老师今年坐了半年牢刚出来，我们自评93分，能定先进吗', '坐了半年牢', '刑事处罚'],
      ['支部一位党员上学期背了个处分，总分91，还能评先进不', '背了个处分', '校纪校规处分'],
    ]) {
      const a = await kb.ask(said as string);
      expect(a.answer, said).toContain(`“${words}”属于${kind}，这属于“直接定为后进”的情形`);
      expect(a.answer, said).not.toMatch(/属于“先进”（/);
      expect(a.citations.map((c) => c.quote).join(), said).toContain(`近一年受到刑事处罚、行政处罚、校纪校规处分`);
    }
    // Told what is no punishment the line names, or one denied or too long ago: the score grades.
    for (const said of [
      '支部有个党员被批评教育了一次，总分91能评先进吗',
      '支部党员都没受过处分，总分91能评先进吗',
      '有个党员前年被罚款，总分92能评先进吗',
    ]) {
      const a = await kb.ask(said);
      expect(a.answer, said).toMatch(/总分9\d分属于“先进”/);
      expect(a.answer, said).not.toContain('不论得分多少都定为后进');
    }
  });

  it('knows each veto line however it is told (闹矛盾, 合不来 for 领导班子不团结) and names the line that applies', async () => {
    const quarrel = await kb.ask('我们支部总分算下来92，可班子成员之间闹矛盾被反映上去了，还能评先进吗？');
    expect(quarrel.answer).toContain('“直接定为后进”的情形（领导班子不团结）');
    expect(quarrel.answer).not.toMatch(/属于“先进”/);
    const apart = await kb.ask('书记和校长一直合不来，我们自评93、上级考评90，定啥级？');
    expect(apart.answer).toMatch(/= 91.2分；但所说的情形属于“直接定为后进”的情形（领导班子不团结）/);
  });

  it('knows a team at odds said in spoken words (闹得挺僵, 不说话, 各干各的) as 领导班子不团结, but not a disagreement settled', async () => {
    for (const said of [
      '我们支部委员之间闹得挺僵，书记和组织委员基本不说话，但分数算下来有91，这还能定先进不',
      '书记跟副书记各干各的，平时不来往，总分93，能评先进吗',
      '我们组织委员和宣传委员谁也不搭理谁，得了90分能评先进吗',
      '支委几个人关系挺紧张的，互相拆台，自评92、上级考评90，定什么级',
    ]) {
      const a = await kb.ask(said);
      expect(a.answer, said).toContain('“直接定为后进”的情形（领导班子不团结）');
      expect(a.answer, said).not.toMatch(/属于“先进”（/);
    }
    const settled = await kb.ask('班子里对活动方案意见不一，开会讨论后统一了，总分91能定先进吗');
    expect(settled.answer).toMatch(/总分91分属于“先进”/);
    expect(settled.answer).not.toContain('（领导班子不团结）');
  });

  it('leaves what happens to one member (评优、评职称 in a 处分期) to the ordinary Q&A, and a party punishment is no 校纪校规处分', async () => {
    for (const said of [
      '有个党员老师受了党内警告处分，多长时间内不能评优、评职称？',
      '有个党员老师受了警告处分，多长时间内不能评优？',
      '党员受了记过处分，几年内不能评职称',
      '老师被行政处罚了，会影响他晋升吗',
    ]) {
      const a = await kb.explain(said);
      expect(a.answer.kind, said).not.toBe('direct');
      expect(a.answer.answer, said).not.toContain('不论得分多少都定为后进');
    }
    const party = await kb.ask('有个党员受了党内警告，我们总分91能评先进吗');
    expect(party.answer).toMatch(/总分91分属于“先进”/);
    const branch = await kb.ask('我们支部有个党员受了行政处罚，影响支部定级吗');
    expect(branch.answer).toContain('直接定为后进');
  });

  it('reads a year without activities with words between 没 and the verb (没正经搞过, 基本没怎么搞) as 一年以上', async () => {
    for (const said of [
      '说实话我们支部一年多没正经搞过活动，但自评算下来有88分，能定较好吗？',
      '超过一年都没好好开展过支部活动，总分82，能评较好不',
      '快两年了，支部活动基本没怎么搞，自评85分能定啥级？',
    ]) {
      const a = await kb.ask(said);
      expect(a.answer, said).toContain('“直接定为后进”的情形（一年以上没有开展活动）');
      expect(a.answer, said).not.toMatch(/属于“较好”（/);
    }
    const half = await kb.ask('半年多没正经组织过活动，总分82能评较好吗');
    expect(half.answer).toContain('所说的情形不满足“一年以上没有开展活动”');
  });

  it('applies a veto only for the period its line sets: half a year without activities is not 一年以上', async () => {
    const half = await kb.ask(
      '上学期太忙，我们支部差不多半年没组织活动。自评95、上级考评91，会不会被一票否决？最后是啥档？',
    );
    expect(half.answer).toMatch(/= 92.6分，属于“先进”/);
    expect(half.answer).toContain('所说的情形不满足“一年以上没有开展活动”，不按这一条直接定为后进');
    const old = await kb.ask('有个党员三年前受过行政处罚，我们支部今年还能评先进吗');
    expect(old.answer).not.toContain('不论得分多少都定为后进');
  });

  it('grades each of several scores listed, and reads scores said apart as bounds', async () => {
    const three = await kb.ask('片区里四个支部最后得分分别是88、96、61、45，各是什么档次？');
    expect(three.answer).toMatch(/^按分数线，得分88属于“较好”，得分96属于“先进”，得分61属于“一般”，得分45属于“后进”/);
    // 不到60分 is a bound, not a branch scored 60.
    const bounds = await kb.ask('考了70分左右算什么档？不到60分呢');
    expect(bounds.answer).not.toContain('得分60');
  });

  it('gives the points of each item a message names when asked of them together', async () => {
    const a = await kb.ask('经费没列入预算，党费也没及时收缴，这两条分别值几分？');
    expect(a.answer).toContain('第18项（满分3分）');
    expect(a.answer).toContain('第13项（满分2分）');
    expect(a.citations).toHaveLength(2);
    // 各占 asks of the items named, not of who scores (自评 40%, 上级 60%).
    const each = await kb.ask('党费没按时足额交，支部经费也没列入学校预算，评分表上这两条各占几分？');
    expect(each.answer).toContain('第13项（满分2分）');
    expect(each.answer).toContain('第18项（满分3分）');
  });

  it('answers what a message asks after the grade it computes, as asked of that grade', async () => {
    const a = await kb.ask('我们支部算下来总分58分，定哪一档？接下来是不是就要被整顿了？');
    expect(a.answer).toMatch(/^总分58分属于“后进”/);
    expect(a.answer).toContain('整顿后进');
    // A further question about the grade itself is the computation's: nothing else is searched.
    const same = await kb.ask('自评86分，上级考评80分，最后算什么等级？能评先进吗？');
    expect(same.citations).toHaveLength(2);
  });

  it('says which part of the sheet is worth the most', async () => {
    const a = await kb.ask('定级打分表五大块里哪块分值最高');
    expect(a.answer).toContain('分值最高的是“工作业绩好”（25分）');
  });

  it('lists the sheet’s parts with their points', async () => {
    const a = await kb.ask('天宁那张打分表一共分几大块？每块各占多少分？');
    expect(a.answer).toMatch(
      /^评分表分为5个部分：领导班子好20分，党员队伍好15分，工作机制好20分，工作业绩好25分，群众反映好20分/,
    );
    expect(a.citations[0]?.quote).toContain('分为5个部分');
  });

  it('applies the 群众反映好 line to a final score when the question gives those points', async () => {
    const a = await kb.ask('我们支部自评88，上级给90，可群众反映好那块只有11分，最后定啥级啊');
    expect(a.answer).toContain('89.2分');
    expect(a.answer).toContain('低于12分，按规定直接定为后进');
    expect(a.citations.map((c) => c.quote).join()).toContain('直接定为后进');
  });

  it('weighs the sheet one side added up part by part with the other side’s total, and cites the weights', async () => {
    const a = await kb.ask('上级考评给了：班子17、党员队伍14、机制18、业绩20、群众反映15，我们自评92，最后算哪档？');
    // 考评 17+14+18+20+15 = 84; 92 × 40% + 84 × 60% = 87.2: 较好, not the 84 of the parts alone.
    expect(a.answer).toContain('合计84分');
    expect(a.answer).toContain('92 × 40% + 84 × 60% = 87.2分');
    expect(a.answer).toContain('较好');
    expect(a.citations[0]?.quote).toContain('自评占40%');
    const theirs = await kb.ask('我们自评：领导班子扣了3分，其他满分；局里考评80分，定啥级');
    expect(theirs.answer).toContain('97 × 40% + 80 × 60% = 86.8分');
  });

  it('states the sheet’s bands, weights, veto list and an item’s requirement, each from the form and quoted', async () => {
    const bands = await kb.ask('支部分类定级 多少分算先进，多少分算后进？');
    expect(bands.answer).toContain('90分以上为先进，75—89分为较好，60—74分为一般，60分以下为后进');
    expect(bands.citations[0]?.quote).toContain('分类定级共分为四级');
    const weights = await kb.ask('定级分数是支部自己打还是上级打 各占多少权重');
    expect(weights.answer).toContain('自评占40%，上一级党组织考评占60%');
    const vetoes = await kb.ask('哪些情况支部会被直接定成后进，不看总分的');
    expect(vetoes.answer).toMatch(/行政处罚.*领导班子不团结.*一年以上没有开展活动.*低于12分/);
    const item = await kb.ask('评分标准里党支部活动经费那一条具体要求是啥');
    expect(item.answer).toContain(
      '第18项（满分3分）：党支部活动经费、时间、场所、设施有保障，经费列入学校预算，实行专项列支',
    );
    // Set beside another document, the sheet is one side of a comparison, not the answer.
    const compared = await kb.ask('党建经费保障 固原文件跟天宁评分表要求有啥区别');
    expect(compared.answer).toContain('各文件的规定不同');
  });

  it('computes nothing once the sheet is removed: the rule must be in the loaded documents', async () => {
    const other = openSqlite(':memory:');
    await ensureDefaultCorpus(other.db);
    await removeDocument(other.db, SHEET);
    const a = await new Knowledge(other.db).ask('自评86分，上级考评80分，最后算什么等级？');
    expect(a.kind).not.toBe('direct');
    expect(a.answer).not.toContain('82.4');
    other.close();
  });

  it("reads points given to an item told of and pointed at (…没进学校预算，这条打0分) as that item's, and quotes its row", async () => {
    for (const [question, row, total] of [
      [
        '支部活动经费没进学校预算，这条我给自己打0分，其他全拿满分，满意率95%，上级也照这么打的话能评先进吗？',
        '经费列入学校预算',
        '合计96分',
      ],
      ['党费收缴不及时，这一项我们打了0分，别的都满分，满意率90%，能定先进吗？', '党费及时足额收缴', '合计96分'],
    ] as const) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain(total);
      expect(a.answer, question).toContain('属于“先进”');
      expect(
        a.citations.some((c) => c.quote.includes(row)),
        question,
      ).toBe(true);
    }
  });

  it('asked what an item costs and the grade with the rest at full marks, computes the total and its band', async () => {
    for (const [question, total] of [
      [
        '我们支部有两位老同志去年党费没交齐，老是忘，如果拿天宁的评分标准来套，这条要扣多少分？别的都按满分算能不能评先进？',
        '98分',
      ],
      ['党员示范岗我们没设，评分表里这条扣多少分？其他都满分的话能定先进吗？', '98分'],
    ] as const) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain(total);
      expect(a.answer, question).toContain('90分以上为先进');
      expect(
        a.citations.some((c) => c.quote.includes('90分以上为先进')),
        question,
      ).toBe(true);
    }
  });

  it('quotes the sheet row behind each situation told, with its points', async () => {
    for (const [question, rows] of [
      ['园长和书记最近吵起来了，谁也不理谁，评先进还有戏吗', ['5．党支部书记和行政负责人团结合作。3分']],
      [
        '有两个党员一直不参加组织生活，支部委员会一学期才开两次，定级会扣哪些分？',
        ['党员正常参加党内生活。2分', '严格落实“三会一课”'],
      ],
      ['我们支部书记只是助理级职称，这在定级打分里扣几分？', ['中级（含）以上教师职称']],
      ['党员活动室被挪作他用，经费也没列预算，定级打分扣哪几条？', ['经费列入学校预算，实行专项列支。3分']],
    ] as const) {
      const a = await kb.ask(question);
      for (const row of rows) {
        expect(
          a.citations.some((c) => c.quote.includes(row)),
          `${question} ${row}`,
        ).toBe(true);
      }
    }
  });

  it('says first that a told situation is a veto case when it also matches a row, and quotes both', async () => {
    for (const said of [
      '我们书记跟校长一直不太对付，测评表上是不是就第5项扣3分的事？',
      '园长跟书记关系不太好，定级就扣团结合作那一条吧，扣几分',
      '支部书记和校长合不来，这个在打分表上扣几分',
    ]) {
      const a = await kb.ask(said);
      expect(a.answer, said).toMatch(/^按评分标准，[^\n]*属于“直接定为后进”的情形（领导班子不团结）/);
      expect(a.answer, said).toContain('第5项（满分3分）');
      expect(
        a.citations.some((c) => c.quote.includes('领导班子不团结')),
        said,
      ).toBe(true);
      expect(
        a.citations.some((c) => c.quote.includes('团结合作。3分')),
        said,
      ).toBe(true);
    }
  });

  it('matches each told shortfall to its own row with its points, and gives the part’s total asked', async () => {
    for (const [said, rows, part] of [
      [
        '党员队伍那一大块一共几分？我们党费有两个月没收齐，积极分子也不够，这两项最多各扣多少',
        ['党费及时足额收缴。2分', '入党积极分子队伍数量充足。2分'],
        '“党员队伍好”部分共15分',
      ],
      ['我们党费有两个月没收齐，这项扣多少分', ['党费及时足额收缴。2分'], null],
      [
        '领导班子这部分满分多少？书记还是初级职称，党费也没收齐，各扣多少',
        ['中级（含）以上教师职称', '党费及时足额收缴。2分'],
        '“领导班子好”部分共20分',
      ],
    ] as const) {
      const a = await kb.ask(said);
      for (const row of rows)
        expect(
          a.citations.some((c) => c.quote.includes(row)),
          `${said} ${row}`,
        ).toBe(true);
      if (part) expect(a.answer, said).toContain(part);
    }
  });

  it('quotes the bands when a grade is named beside a veto, and the weights when a 自评 is asked', async () => {
    const veto = await kb.ask('总分95，但去年有党员被拘留过，还能评先进不');
    expect(veto.answer).toContain('直接定为后进');
    expect(veto.citations.some((c) => c.quote.includes('90分以上为先进'))).toBe(true);
    const self = await kb.ask('各项打分：第5条2分，其他满分，满意率85%，自评能打多少分');
    expect(self.answer).toContain('合计96分');
    expect(self.citations.some((c) => c.quote.includes('自评占40%'))).toBe(true);
    // Items listed by number alone are each read (12条给1分 is item 12's).
    const listed = await kb.ask('逐项打分：5条2分、13条1分，其余满分，满意率100%，总分多少，算哪一档');
    expect(listed.answer).toContain('合计98分');
  });

  it('asked whether the sheet fits a branch, answers its scope; the points naming the sheet or an item are no score', async () => {
    for (const question of [
      '满分100分的那张分类定级评分表，特教学校的支部适用吗',
      '100分的定级打分表，职校党支部可以照搬吗',
      '天宁那个分类定级打分表，幼儿园支部能直接拿来用吗？',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).toContain('中小学校党支部分类定级');
      expect(a.answer, question).not.toContain('属于“先进”');
      expect(
        a.citations.some((c) => c.quote.includes('因校制宜')),
        question,
      ).toBe(true);
    }
    // Nor are the points of an item pointed at (书记那条3分) the branch's score.
    for (const question of [
      '我们新支部书记只有初级职称，评分表里书记那条3分还能拿吗？',
      '打分表上支部书记那一项3分，我们书记只有初级职称能得分不',
    ]) {
      const a = await kb.ask(question);
      expect(a.answer, question).not.toContain('属于“后进”');
      expect(a.answer, question).toContain('中级（含）以上教师职称');
    }
    // Scores given with it are still computed.
    const computed = await kb.ask('套用天宁的评分表，我们自评86，上级考评80，算什么等级');
    expect(computed.answer).toContain('82.4分');
  });
});
