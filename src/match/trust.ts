/**
 * Which of a scanned entry's fields matching may trust. Matching runs before routing, so a field read by
 * the machine is still `pending`: it is trusted when routing would auto-accept it (no route reason,
 * confidence at its layout's threshold), as are fields a person verified or routing accepted. A misread
 * field agreeing with an existing record by chance, or a misread entry number naming the wrong entry,
 * must not make a link without a person (README "How matching decides").
 */
import { decide } from '../extract/routing.ts';

export interface FieldToTrust {
  id: number;
  field: string;
  value: string | null;
  confidence: number;
  reasons: string[];
  status: string;
}

/** The fields of `fields` (pending or in review) that are not trusted; `template` picks the threshold. */
export function unsureFields(fields: readonly FieldToTrust[], template: string | null): string[] {
  return fields
    // the audit draw is not a doubt about the value: rate 0
    .filter((f) => f.status === 'review' || decide(f, template, 0).status !== 'auto_accepted')
    .map((f) => f.field)
    .sort();
}

/**
 * Largest weight (in bits, either sign) an untrusted field's comparison carries: it can nudge a pair but
 * never carry it over a threshold on its own. A full birth date agreeing is worth ~14 bits when trusted.
 */
export const UNSURE_WEIGHT_CAP = 2;
