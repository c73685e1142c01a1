// Writes N policy-like documents (default 1,000, ~15 KB each) into a folder, for the Q&A
// benchmark. Deterministic: the same seed writes the same corpus. Varied text: headings in the
// official hierarchy, requirements with numbers and frequencies, places, issuers, 文号.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small PRNG that is the same everywhere for a seed (the district generator uses it too). */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = [
  '青山',
  '白河',
  '东湖',
  '南岭',
  '西平',
  '北川',
  '长宁',
  '安远',
  '临江',
  '枫桥',
  '石门',
  '桃源',
  '柳城',
  '云台',
  '凤鸣',
  '龙泉',
  '金沙',
  '银湖',
  '玉屏',
  '松阳',
];
const LEVELS = ['市', '县', '区'];
const SUBJECTS = [
  '党支部',
  '党组织书记',
  '班子成员',
  '党员教师',
  '支委会',
  '学校党组织',
  '教育工委',
  '党务工作者',
  '入党积极分子',
  '思政课教师',
  '团组织',
  '少先队辅导员',
  '民办学校党组织',
  '党小组',
];
const ACTIONS = [
  '开展主题党日活动',
  '召开专题会议',
  '分析研判意识形态形势',
  '讲授专题党课',
  '组织集中学习',
  '走访联系点',
  '开展谈心谈话',
  '报告工作情况',
  '进行风险排查',
  '组织民主评议',
  '开展志愿服务',
  '检查党费收缴',
  '整理工作台账',
  '开展廉政教育',
  '组织理论宣讲',
  '落实“三会一课”',
  '推进标准化建设',
  '开展结对帮扶',
];
const FREQ = ['每月', '每季度', '每学期', '每半年', '每年', '每两年', '每周'];
const QUANT = ['至少1次', '不少于2次', '不少于4课时', '至少3次', '不少于1次', '不少于24学时', '至少半天'];
const GOALS = ['规范化率达到', '覆盖率达到', '参训率达到', '优良率达到', '满意率达到'];
const FILL = [
  '坚持问题导向和目标导向相结合',
  '注重保持工作的持续性连贯性',
  '切实发挥战斗堡垒作用',
  '推动各项任务落地见效',
  '营造风清气正的良好氛围',
  '增强党员荣誉感和归属感',
  '克服形式主义和官僚主义',
  '做到年初建账、年中查账、年底交账',
  '把党建工作与教育教学工作同部署、同落实',
  '形成一级抓一级、层层抓落实的工作格局',
];
const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function generateDocument(i: number): { name: string; text: string } {
  const r = rng(i * 7919 + 17);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const place = `${pick(PLACES)}${pick(LEVELS)}`;
  const issuer = `中共${place}教育工作委员会`;
  const year = 2015 + Math.floor(r() * 10);
  const title = `关于加强${place}学校${pick(['党建', '基层组织建设', '党员队伍建设', '意识形态工作', '党风廉政建设'])}工作的${pick(['实施方案', '通知', '意见', '工作要点'])}`;
  const lines: string[] = [
    `${issuer}文件`,
    '',
    `${place.slice(0, 2)}教工委〔${year}〕${1 + Math.floor(r() * 60)}号`,
    '',
    title,
    '',
  ];
  const sentence = () => {
    const kind = r();
    if (kind < 0.45) return `${pick(SUBJECTS)}${pick(FREQ)}${pick(ACTIONS)}${pick(QUANT)}。`;
    if (kind < 0.65)
      return `到${year + 1 + Math.floor(r() * 3)}年底，${pick(SUBJECTS)}${pick(GOALS)}${50 + Math.floor(r() * 50)}%以上。`;
    return `${pick(FILL)}，${pick(FILL)}。`;
  };
  for (let h1 = 0; h1 < 6; h1++) {
    lines.push(`${CN[h1]}、${pick(['总体要求', '主要任务', '工作重点', '保障措施', '组织领导', '考核评价'])}`, '');
    for (let h2 = 0; h2 < 3; h2++) {
      lines.push(`（${CN[h2]}）${pick(ACTIONS)}`);
      for (let p = 0; p < 3; p++) {
        const para = Array.from({ length: 3 + Math.floor(r() * 3) }, sentence).join('');
        lines.push(`${p + 1}.${para}`);
      }
      lines.push('');
    }
  }
  lines.push(issuer, `${year}年${1 + Math.floor(r() * 12)}月${1 + Math.floor(r() * 28)}日`);
  return { name: `gen_${String(i).padStart(4, '0')}.txt`, text: lines.join('\n') };
}

export function generateCorpus(dir: string, n: number): number {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const { name, text } = generateDocument(i);
    writeFileSync(join(dir, name), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}
