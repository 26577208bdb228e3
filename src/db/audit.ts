import type { Sql } from './sql.ts';

/**
 * Appends one event to the append-only audit trail. `detail` must never hold personal data
 * beyond ids (names, birth dates and ID numbers stay in their tables).
 */
export async function recordAudit(
  sql: Sql,
  event: { actor: string; action: string; objectType: string; objectId: string | number; detail?: Record<string, unknown> },
): Promise<void> {
  await sql.query('insert into audit_event (actor, action, object_type, object_id, detail) values ($1, $2, $3, $4, $5)', [
    event.actor,
    event.action,
    event.objectType,
    String(event.objectId),
    JSON.stringify(event.detail ?? {}),
  ]);
}
