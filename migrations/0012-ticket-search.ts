import { SqliteAdapter, sql, type Kysely } from 'kysely'

// Free-text search over subjects and topics. On SQLite an FTS5 index, kept by triggers on the
// tickets table (external content: the text is stored once, in tickets). Other engines get their
// own index in a migration of theirs; until then they search with LIKE.
const onSqlite = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof SqliteAdapter

export async function up(db: Kysely<any>): Promise<void> {
  if (!onSqlite(db)) return
  await sql`
    create virtual table ticket_search using fts5(
      subject, topic, content = 'tickets', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    )
  `.execute(db)
  await sql`
    create trigger ticket_search_insert after insert on tickets begin
      insert into ticket_search (rowid, subject, topic) values (new.id, new.subject, new.topic);
    end
  `.execute(db)
  await sql`
    create trigger ticket_search_delete after delete on tickets begin
      insert into ticket_search (ticket_search, rowid, subject, topic)
        values ('delete', old.id, old.subject, old.topic);
    end
  `.execute(db)
  await sql`
    create trigger ticket_search_update after update of subject, topic on tickets begin
      insert into ticket_search (ticket_search, rowid, subject, topic)
        values ('delete', old.id, old.subject, old.topic);
      insert into ticket_search (rowid, subject, topic) values (new.id, new.subject, new.topic);
    end
  `.execute(db)
  await sql`insert into ticket_search (ticket_search) values ('rebuild')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onSqlite(db)) return
  await sql`drop trigger ticket_search_update`.execute(db)
  await sql`drop trigger ticket_search_delete`.execute(db)
  await sql`drop trigger ticket_search_insert`.execute(db)
  await sql`drop table ticket_search`.execute(db)
}
