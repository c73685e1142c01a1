// Self-check forms as data: sections of items (a score up to a maximum, a satisfaction rate worth
// a maximum, a choice, several choices, text, a date, a number), each with the clause it comes
// from; and, for a graded form, the scoring rules (weights, bands, veto conditions). A deployment
// adds a form by adding a file; a bad file stops start-up naming the file and the field.
import { z } from 'zod';
import { ROLES } from '../storage/schema';

const Id = z.string().regex(/^[a-z][a-z0-9-]*$/, '只能用小写字母、数字和连字符');

/** An item's id is also its card input's name: letters, digits, underscore. */
const ItemId = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, '只能用字母、数字和下划线，以字母开头');

const Item = z
  .object({
    id: ItemId,
    text: z.string().min(1),
    type: z.enum(['score', 'rate', 'choice', 'multi', 'text', 'date', 'month', 'number']),
    /** A score's maximum; for a rate, the points a 100% rate is worth (得分 = max × 满意率). */
    max: z.number().positive().optional(),
    options: z.array(z.string().min(1)).min(2).optional(),
    required: z.boolean().default(true),
    help: z.string().optional(),
    /** The words of the document the item stands on, when it is not the item's own text. */
    clause: z.string().optional(),
  })
  .refine((i) => !['score', 'rate'].includes(i.type) || i.max !== undefined, {
    message: '分值题（score / rate）需要 max',
    path: ['max'],
  })
  .refine((i) => !['choice', 'multi'].includes(i.type) || i.options !== undefined, {
    message: '选择题（choice / multi）需要 options',
    path: ['options'],
  });

const Section = z.object({
  id: Id,
  title: z.string().min(1),
  /** The section's points: its scored items must add up to it. */
  max: z.number().positive().optional(),
  items: z.array(Item).min(1),
});

const Veto = z.union([
  /** Answering this choice item with `answer` makes the grade the lowest, whatever the score. */
  z.object({ item: ItemId, answer: z.string().min(1), text: z.string().min(1) }),
  /** A section scoring below `below` does the same. */
  z.object({ section: Id, below: z.number(), text: z.string().min(1) }),
]);

const Scoring = z.object({
  /** final = self × selfWeight + review × reviewWeight (a review by the superior organisation). */
  selfWeight: z.number().min(0).max(1),
  reviewWeight: z.number().min(0).max(1),
  /** Highest first; a score at or above `min` (after rounding to whole points) has the grade. */
  bands: z.array(z.object({ min: z.number(), grade: z.string().min(1), text: z.string().min(1) })).min(2),
  vetoes: z.array(Veto).default([]),
  /** Words of the sheet's clauses, to cite: the weights, the bands, the vetoes. */
  clauses: z.object({ weights: z.string(), bands: z.string(), vetoes: z.string() }),
});

export const FormDefinition = z
  .object({
    id: Id,
    title: z.string().min(1),
    /** The title short enough for a button, e.g. 分类定级评分 (renderers cut what their platform cannot show). */
    short: z.string().min(1).max(20).optional(),
    /** Who fills it: the branch's 书记 by default. */
    audience: z.enum(ROLES).default('书记'),
    /** How often a branch fills it (its period); a yearly grading by default. */
    every: z.enum(['year', 'half-year', 'quarter', 'month']).default('year'),
    basis: z.object({ doc: z.string().min(1), quote: z.string().min(1) }),
    sections: z.array(Section).min(1),
    scoring: Scoring.optional(),
  })
  .superRefine((form, ctx) => {
    const ids = new Set<string>();
    form.sections.forEach((section, s) => {
      for (const [i, item] of section.items.entries()) {
        if (ids.has(item.id))
          ctx.addIssue({
            code: 'custom',
            message: `题目 id "${item.id}" 重复`,
            path: ['sections', s, 'items', i, 'id'],
          });
        ids.add(item.id);
      }
      const points = section.items.reduce((sum, i) => sum + (i.max ?? 0), 0);
      if (section.max !== undefined && Math.abs(points - section.max) > 1e-9)
        ctx.addIssue({
          code: 'custom',
          message: `各题分值合计 ${points}，与本部分的 ${section.max} 分不符`,
          path: ['sections', s, 'max'],
        });
    });
    for (const [v, veto] of (form.scoring?.vetoes ?? []).entries()) {
      const known = 'item' in veto ? ids.has(veto.item) : form.sections.some((s) => s.id === veto.section);
      if (!known) ctx.addIssue({ code: 'custom', message: '指向不存在的题目或部分', path: ['scoring', 'vetoes', v] });
    }
  });
export type FormDefinition = z.infer<typeof FormDefinition>;
export type FormItem = FormDefinition['sections'][number]['items'][number];
export type FormSection = FormDefinition['sections'][number];

/** A form file's JSON checked, or an error naming the field (e.g. `sections.2.items.0.max`). */
export function parseForm(json: unknown): { ok: true; form: FormDefinition } | { ok: false; message: string } {
  const parsed = FormDefinition.safeParse(json);
  if (parsed.success) return { ok: true, form: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `字段 ${issue?.path.join('.') || '(整体)'}：${issue?.message ?? '格式不对'}` };
}

/** Every item of a form, in order. */
export function itemsOf(form: FormDefinition): FormItem[] {
  return form.sections.flatMap((s) => s.items);
}

/** Forms the bot runs together must have distinct ids: the problem, or null. */
export function checkFormSet(forms: FormDefinition[]): string | null {
  const twice = forms.find((f, i) => forms.findIndex((g) => g.id === f.id) !== i);
  return twice ? `表单 id "${twice.id}" 定义了两次` : null;
}
