import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/connection.js'
import { migrateToLatest, migrationState } from '../../src/db/migrate.js'
import { markProcessed } from '../../src/db/repos/processed-events.js'
import { testDatabaseUrl, testingOnPostgres } from '../helpers/db.js'

describe('migrations', () => {
  it('create every table on an empty database, and a second run applies nothing', async () => {
    const db = openDatabase(await testDatabaseUrl())
    expect(await migrateToLatest(db)).toEqual([
      '0001-initial',
      '0002-delivery-status-and-templates',
      '0003-contact-avatar',
      '0004-sla-and-jobs',
      '0005-ticket-fields-and-canned-replies',
      '0006-ticket-list-indexes',
      '0007-customer-info',
      '0008-shifts',
      '0009-reply-templates-and-rules',
      '0010-outbox-heads-and-progress',
      '0011-agent-removal',
      '0012-ticket-search',
      '0013-delivery-claims',
      '0014-ticket-search-trgm',
      '0015-attachments',
      '0016-api-and-webhooks',
      '0017-report-indexes',
      '0018-intake-and-contact-policy',
      '0019-report-scope-indexes',
      '0020-delivery-claims-index',
      '0021-notice-files',
      '0022-write-lighter-indexes',
    ])
    expect(await migrateToLatest(db)).toEqual([])
    const tables = await db.introspection.getTables()
    // The search index is FTS5's, on SQLite only (its virtual table and the tables behind it).
    const search = testingOnPostgres
      ? []
      : [
          'ticket_search',
          'ticket_search_config',
          'ticket_search_data',
          'ticket_search_docsize',
          'ticket_search_idx',
        ]
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'agents',
        'attachments',
        'api_idempotency',
        'api_keys',
        'canned_replies',
        'contacts',
        'deliveries',
        'events',
        'heartbeats',
        'intake_prompts',
        'intake_questions',
        'job_runs',
        'messages',
        'notice_files',
        'processed_events',
        'reply_templates',
        'ticket_answers',
        'ticket_rules',
        'ticket_tags',
        'tickets',
        'webhook_endpoints',
        'webhook_events',
        ...search,
      ].sort(),
    )
    await db.destroy()
  })

  it('remember a platform event once per channel', async () => {
    const db = openDatabase(await testDatabaseUrl())
    await migrateToLatest(db)
    const at = '2026-11-23T09:00:00.000Z'
    expect(await markProcessed(db, 'telegram', '1:2', at)).toBe(true)
    expect(await markProcessed(db, 'telegram', '1:2', at)).toBe(false)
    expect(await markProcessed(db, 'discord', '1:2', at)).toBe(true)
    await db.destroy()
  })

  it('their state is read without changing the database: pending, applied, and unknown to this code', async () => {
    const db = openDatabase(await testDatabaseUrl())
    const fresh = await migrationState(db)
    expect(fresh.applied).toEqual([])
    expect(fresh.pending[0]).toBe('0001-initial')
    expect(fresh.unknown).toEqual([])
    const created = await db.introspection.getTables({ withInternalKyselyTables: true })
    expect(created).toEqual([]) // not even kysely's own tables

    const all = await migrateToLatest(db)
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01')`.execute(
      db,
    )
    expect(await migrationState(db)).toEqual({ applied: all, pending: [], unknown: ['9999-from-the-future'] })
    await db.destroy()
  })
})
