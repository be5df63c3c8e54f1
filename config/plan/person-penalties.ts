// The penalty table for individuals (《医疗保障基金使用监督管理条例》第四十一条): per paragraph the fine as a multiple of
// the amount obtained and the months of card-settlement suspension. Left out, DEFAULT_PERSON_PENALTY_TABLE of
// domain/person-penalty.ts applies (with its sources).
import { z } from 'zod';
import { isTenthMultiple } from '../../domain/penalty';
import { DEFAULT_PERSON_PENALTY_TABLE } from '../../domain/person-penalty';
import { show } from '../../domain/validation';
import { citation, integer, text } from './fields';

const multiple = z
  .number()
  .min(0)
  .refine(isTenthMultiple, { error: (iss) => `expected a multiple in steps of 0.1 (e.g. 2.5), got ${show(iss.input, 60)}` });
const months = integer.min(1).max(12);

const paragraph = z
  .strictObject({
    key: z.string().regex(/^[1-9]\d{0,3}-[1-9]$/, 'expected article and paragraph, e.g. "41-2"'),
    title: text,
    source: citation,
    minMultiple: multiple,
    maxMultiple: multiple,
    suspensionMonths: z.strictObject({ min: months, max: months }),
  })
  .refine((p) => p.maxMultiple >= p.minMultiple, { path: ['maxMultiple'], message: 'is below minMultiple' })
  .refine((p) => p.suspensionMonths.max >= p.suspensionMonths.min, { path: ['suspensionMonths', 'max'], message: 'is below min' });

export const personPenalties = z
  .strictObject({
    source: citation.default(DEFAULT_PERSON_PENALTY_TABLE.source),
    paragraphs: z
      .array(paragraph)
      .min(1, 'needs at least one paragraph')
      .refine((ps) => new Set(ps.map((p) => p.key)).size === ps.length, 'paragraph keys must be unique')
      .default(() => DEFAULT_PERSON_PENALTY_TABLE.paragraphs.map((p) => ({ ...p, suspensionMonths: { ...p.suspensionMonths } }))),
  })
  .prefault({});
