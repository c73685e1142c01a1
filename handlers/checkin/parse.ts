// `签到 …` as secretaries write it: the meeting type by its full or short name, the topic, and a
// duration in any of the usual forms (30分钟, 半小时, 1.5小时, 二十分钟, 1h, 45 分钟). A duration
// is taken out wherever it stands and never becomes part of the topic, even when it is out of range.
import { MEETING_TYPES, type MeetingType } from '../../storage/schema';
import { HAN_NUMBER, numberIn } from '../chinese-number';

/** The names people use for each type, the stored one first. */
export const TYPE_NAMES: Record<MeetingType, readonly string[]> = {
  支部党员大会: ['支部党员大会', '党员大会', '支部大会', '全体党员大会', '支部党员会', '党员会'],
  支委会: ['支委会', '支部委员会', '支部委员会会议', '支委会议', '支委员会'],
  党小组会: ['党小组会', '党小组会议', '党小组'],
  党课: ['党课', '专题党课'],
  主题党日: ['主题党日', '主题党日活动', '党日活动', '党日'],
  其他: ['其他', '其它', '其他会议'],
};

/** Longest names first, so that 支部委员会会议 is not read as 支部委员会 + 会议. */
const NAMES = MEETING_TYPES.flatMap((t) => TYPE_NAMES[t].map((name) => ({ name, type: t }))).sort(
  (a, b) => b.name.length - a.name.length,
);

/** 支部党员大会（党员大会）、支委会（支部委员会）…: the types with a common other name. */
export const typeList = MEETING_TYPES.map((t) => (TYPE_NAMES[t][1] ? `${t}（${TYPE_NAMES[t][1]}）` : t)).join('、');

/** The type a word names, and what follows the name when the topic was written right after it. */
export function meetingTypeOf(word: string): { type: MeetingType; rest: string } | undefined {
  const hit = NAMES.find((n) => word.startsWith(n.name));
  return hit ? { type: hit.type, rest: word.slice(hit.name.length) } : undefined;
}

const ARABIC = String.raw`-?\d+(?:\.\d+)?`;
const HAN = HAN_NUMBER;
const NUM = `${ARABIC}|${HAN}`;
const HOURS = '个?小时|个?钟头|h|hr|hrs|hour|hours';
const MINUTES = '分钟|分|min|mins|minute|minutes|m';
// 十分 is also a word (十分重要): a Chinese number of minutes needs 分钟.
const DURATION = new RegExp(
  [
    `^(?<hours>${NUM})(?<half>个?半)?(?:${HOURS})(?:(?<extra>${NUM})(?:${MINUTES})?)?$`,
    `^半(?:${HOURS})$`,
    `^(?<minutes>${ARABIC})(?:${MINUTES})$`,
    `^(?<hanMinutes>${HAN})分钟$`,
  ].join('|'),
  'i',
);
/** A duration glued to the end of the topic (学习党章30分钟): only with a unit that cannot end a word. */
const GLUED = new RegExp(`(?:(?:\\d+(?:\\.\\d+)?|${HAN})个?半?|半个?)(?:小时|钟头|分钟)$`);

/** A duration in whole minutes (maybe out of range, negative or zero); null when the word is not one. */
export function minutesOf(word: string): number | null {
  const g = word.match(DURATION)?.groups;
  if (!g) return null;
  const minutes = g.minutes ?? g.hanMinutes;
  if (minutes !== undefined) {
    const n = numberIn(minutes);
    return n === null ? null : Math.round(n);
  }
  if (g.hours === undefined) return 30; // 半小时
  const h = numberIn(g.hours);
  const e = g.extra === undefined ? 0 : numberIn(g.extra);
  if (h === null || e === null) return null;
  return Math.round(h * 60 + (g.half ? 30 : 0) + e);
}

export interface StartRequest {
  type?: MeetingType;
  /** The first word, when it names no type. */
  unknownType?: string;
  topic: string;
  minutes?: number;
}

/** What follows `签到`, read as a request to start a check-in. */
export function parseStart(text: string): StartRequest {
  const words = text.split(' ').filter(Boolean);
  // `45 分钟`: a number and its unit written apart are one word.
  for (let i = words.length - 1; i > 0; i--) {
    if (minutesOf(`${words[i - 1]}${words[i]}`) !== null && minutesOf(words[i] ?? '') === null)
      words.splice(i - 1, 2, `${words[i - 1]}${words[i]}`);
  }
  let minutes: number | undefined;
  const rest: string[] = [];
  for (const w of words) {
    const m = minutesOf(w);
    if (m === null) rest.push(w);
    else minutes = (minutes ?? 0) + m;
  }
  const last = rest.at(-1) ?? '';
  const glued = last.match(GLUED);
  if (minutes === undefined && glued && glued[0] !== last) {
    const m = minutesOf(glued[0]);
    if (m !== null) {
      minutes = m;
      rest[rest.length - 1] = last.slice(0, -glued[0].length);
    }
  }
  const [first = '', ...others] = rest;
  const named = meetingTypeOf(first);
  if (!named)
    return {
      ...(first ? { unknownType: first } : {}),
      topic: others.join(' '),
      ...(minutes === undefined ? {} : { minutes }),
    };
  const topic = [named.rest, ...others].filter(Boolean).join(' ');
  return { type: named.type, topic, ...(minutes === undefined ? {} : { minutes }) };
}
