import type { Account } from '../auth/accounts.ts';
import type { Sql } from '../db/sql.ts';
import { onPageSetAsideSql } from '../extract/rescans.ts';

/** The verifier's own pace and what waits in their offices, shown beside the review screen. */
export interface ReviewStats {
  /** Decided fields (not skips) in the last hour. */
  itemsLastHour: number;
  /** Median time per decided field today, in milliseconds (null before the first). */
  medianMsToday: number | null;
  fieldsToday: number;
  /** Field items still open in the verifier's offices. */
  queued: number;
}

export async function reviewStats(sql: Sql, account: Account): Promise<ReviewStats> {
  const [row] = await sql.query<ReviewStats>(
    `select count(*) filter (where d.at > now() - interval '1 hour')::int as "itemsLastHour",
            (percentile_cont(0.5) within group (order by d.ms) filter (where d.at >= date_trunc('day', now())))::int as "medianMsToday",
            count(*) filter (where d.at >= date_trunc('day', now()))::int as "fieldsToday",
            (select count(*)::int from review_item ri join entry e on e.id = ri.entry_id join book b on b.id = e.book_id
              where ri.kind = 'field' and ri.status in ('open', 'claimed') and ($2 or b.office_id = any($3)) and not ${onPageSetAsideSql('e')}) as queued
       from review_decision d where d.account_id = $1 and d.action <> 'skip'`,
    [account.id, account.allOffices, account.officeIds],
  );
  return row!;
}
