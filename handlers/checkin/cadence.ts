// How often a branch holds each kind of meeting, as the 党支部工作条例 sets it (支部党员大会、党课
// each quarter; 支委会、党小组会、主题党日 each month): what the 台账 expects of a period.
import type { Every } from '../../domain/calendar';
import type { MeetingType } from '../../storage/schema';

export const MEETING_CADENCE: Record<Exclude<MeetingType, '其他'>, Every> = {
  支部党员大会: 'quarter',
  支委会: 'month',
  党小组会: 'month',
  党课: 'quarter',
  主题党日: 'month',
};
