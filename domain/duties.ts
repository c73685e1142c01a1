// Recurring duties as data: what each document asks of whom and how often, and when the bot
// reminds. A deployment edits data/duties.json (or points ZHIBU_DUTIES at its own file); a bad
// rule stops start-up naming the rule and the field.
import { z } from 'zod';
import { ROLES } from '../storage/schema';

const Stage = z
  .object({
    name: z.string().min(1),
    /** Day of the period (1 = its first day), or days before its last day. */
    day: z.number().int().min(1).max(366).optional(),
    beforeEnd: z.number().int().min(0).max(365).optional(),
    /** A calendar day (MM-DD) in the period, for dates like 七一 that no day count keeps. */
    on: z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '写成 MM-DD，如 06-20')
      .optional(),
    /** Days the reminder stays worth sending to someone who has not had it (default: to the period's end). */
    lastsDays: z.number().int().min(1).max(366).optional(),
    /** The reminder's first words, e.g. 季度已过半. */
    lead: z.string().min(1),
  })
  .refine((s) => [s.day, s.beforeEnd, s.on].filter((x) => x !== undefined).length === 1, {
    message: '需要 day、beforeEnd、on 三者之一',
  });

const Duty = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, '只能用小写字母、数字和连字符'),
  title: z.string().min(1),
  every: z.enum(['month', 'quarter', 'half-year', 'year']),
  audience: z.enum(ROLES),
  ask: z.string().min(1),
  /** In the order they fall in a period. */
  stages: z.array(Stage).min(1),
  /** Shanghai hour the reminders go out; within 08:00–21:00. */
  hour: z.number().int().min(8).max(20).default(9),
  basis: z.object({ doc: z.string().min(1), quote: z.string().min(1) }),
  /** What the reminder card asks for: the visit form, the 研判 form, or just 已完成. */
  form: z.enum(['visit', 'ideology', 'done']).default('done'),
  /**
   * A self-check form (its id in data/forms) the reminder opens instead: the duty is done for a
   * branch once its entry of the period is submitted.
   */
  opens: z.string().optional(),
  enabled: z.boolean().default(true),
});
export type Duty = z.infer<typeof Duty>;

const Rules = z.object({ duties: z.array(Duty) });

/** The enabled duties of a rules file's JSON, or an error naming the rule and field. */
export function parseDuties(json: unknown): { ok: true; duties: Duty[] } | { ok: false; message: string } {
  const parsed = Rules.safeParse(json);
  if (parsed.success) {
    const ids = parsed.data.duties.map((d) => d.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) return { ok: false, message: `规则 "${twice}" 重复定义` };
    return { ok: true, duties: parsed.data.duties.filter((d) => d.enabled) };
  }
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const raw = json as { duties?: { id?: unknown }[] } | null;
  const index = path[0] === 'duties' && typeof path[1] === 'number' ? path[1] : undefined;
  const id = index !== undefined ? raw?.duties?.[index]?.id : undefined;
  const rule = index === undefined ? '' : `规则 ${typeof id === 'string' ? `"${id}"` : `#${index + 1}`} `;
  const field = path.slice(index === undefined ? 0 : 2).join('.') || '(整体)';
  return { ok: false, message: `${rule}字段 ${field}：${issue?.message ?? '格式不对'}` };
}

/** A duty that opens a self-check form must name one the bot has: the problem, or null. */
export function checkOpens(duties: Duty[], formIds: readonly string[]): string | null {
  const unknown = duties.find((d) => d.opens && !formIds.includes(d.opens));
  return unknown ? `职责规则 "${unknown.id}" 字段 opens：没有 id 为 "${unknown.opens}" 的自查表` : null;
}

/**
 * The outbox keys of a duty's reminders, `duty:<duty>:<period>:<member>:<stage>`: the prefix of a
 * period's (every person's) or of one person's, so that a reminder is planned once and dropped
 * once the person has done the duty.
 */
export function reminderPrefix(dutyId: string, periodId: string, memberId?: string): string {
  return `duty:${dutyId}:${periodId}:${memberId === undefined ? '' : `${memberId}:`}`;
}
