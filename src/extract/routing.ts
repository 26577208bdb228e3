/**
 * Which fields a person must see. A field is auto-accepted only when nothing is wrong with it (no
 * route reason) and its confidence reaches the threshold of its layout kind; everything else goes to
 * review with its reasons. A small random share of auto-accepted fields is reviewed too (the audit
 * sample), which is how the real error rate of auto-acceptance is measured in production.
 *
 * Thresholds: calibrated on the development corpus (`civreg samples --seed 777 --books 15 --profile
 * typical`): on form pages no field with confidence ≥ 0.90 and no route reason was wrong except one
 * death cause (1 of 230); on ruled-book pages (hand-written or typed) fields at 0.95–0.97 were still
 * wrong 2% of the time, so those need 0.97. The eval on another seed reports what this accepts.
 */
import { createHash } from 'node:crypto';
import { isCriticalField } from '../../schemas/corpus.ts';
import { LAYOUTS } from './templates.ts';

export const AUTO_ACCEPT_THRESHOLD = { form: 0.9, table: 0.97 } as const;
/** The confidence of a value two independent readings (or copies, or a closed list) agree on: what a confirmation raises it to. */
export const AGREEING_READINGS = 0.995;

/** Review priority: critical fields (names, dates, places, ID numbers, the entry number) first. */
export const CRITICAL_PRIORITY = 10;
export const reviewPriority = (field: string) => (field === 'entryNo' || isCriticalField(field) ? CRITICAL_PRIORITY : 0);

const LAYOUT_KIND = new Map(Object.values(LAYOUTS).flatMap((byEra) => Object.values(byEra)).map((layout) => [layout.id, layout.kind]));

export interface FieldToRoute {
  id: number;
  value: string | null;
  confidence: number;
  reasons: string[];
}

export type Decision = { status: 'auto_accepted' } | { status: 'review'; reasons: string[]; auditSample: boolean };

/**
 * The audit draw is a hash of the field id, not Math.random: re-running the route stage draws the
 * same fields, and tests can rely on it.
 */
export function inAuditSample(fieldId: number, rate: number): boolean {
  if (rate <= 0) return false;
  const h = createHash('sha256').update(`audit:${fieldId}`).digest().readUInt32BE(0);
  return h / 2 ** 32 < rate;
}

export function decide(field: FieldToRoute, template: string | null, auditRate: number): Decision {
  const kind = (template ? LAYOUT_KIND.get(template) : undefined) ?? 'table';
  const reasons = [...field.reasons];
  if (field.value === null && reasons.length === 0) reasons.push('parse_failed');
  if (reasons.length === 0 && field.confidence < AUTO_ACCEPT_THRESHOLD[kind]) reasons.push('low_confidence');
  if (reasons.length > 0) return { status: 'review', reasons, auditSample: false };
  if (inAuditSample(field.id, auditRate)) return { status: 'review', reasons: ['audit_sample'], auditSample: true };
  return { status: 'auto_accepted' };
}
