import type { Db } from '../connection.js'

/** Records that a job ran for a period (a digest for a day); false when it already had. */
export async function claimJobRun(db: Db, job: string, period: string, at: string): Promise<boolean> {
  const claimed = await db
    .insertInto('job_runs')
    .values({ job, period, ran_at: at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return claimed.numInsertedOrUpdatedRows === 1n
}
