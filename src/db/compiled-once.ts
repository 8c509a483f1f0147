import type { Compilable, CompiledQuery, QueryResult } from 'kysely'
import type { Db } from './connection.js'

/** Stands for one named value while a query is built once; replaced by the caller's value at each run. */
class Slot {
  constructor(readonly name: string) {}
}

interface Template {
  readonly query: CompiledQuery
  /** The compiled query's parameters: a Slot where a named value goes, else the value built in. */
  readonly parameters: readonly unknown[]
}

/**
 * A query built and compiled once per database dialect, then run with new values: kysely's builder
 * and compiler cost more than SQLite takes to run a small statement, and the inbound path runs a
 * dozen of them per message.
 *
 * `build` receives stand-ins for the values (`values.ticketId`) and must only put them where a value
 * goes: a query whose shape depends on a value (a branch, a column left out when undefined) needs one
 * `compiledOnce` per shape. Every value must be given at each run (null, never undefined). On a
 * database with plugins the query is built and compiled at each run, as kysely does.
 */
export function compiledOnce<V extends object, R>(
  build: (db: Db, values: V) => Compilable<R>,
): (db: Db, values: V) => Promise<QueryResult<R>> {
  // By adapter: SQLite and PostgreSQL write different SQL (`?` and `$1`) for the same query.
  const templates = new WeakMap<object, Template>()
  const stand = new Proxy({} as V, { get: (_, name) => new Slot(String(name)) })
  return (db, values) => {
    const { adapter, plugins } = db.getExecutor()
    // A plugin may rewrite or watch each query as it is compiled: then it is built anew every time.
    if (plugins.length > 0) return db.executeQuery(build(db, values))
    let template = templates.get(adapter)
    if (template === undefined) {
      const query = build(db, stand).compile()
      template = { query, parameters: query.parameters }
      templates.set(adapter, template)
    }
    const parameters = template.parameters.map((p) =>
      p instanceof Slot ? (values as Record<string, unknown>)[p.name] : p,
    )
    return db.executeQuery<R>({ ...template.query, parameters })
  }
}

/** The one row a statement returns (an insert's `returning`, a select by key that must find it). */
export function onlyRow<R>(result: QueryResult<R>, what: string): R {
  const [row] = result.rows
  if (row === undefined) throw new Error(`${what} returned no row`)
  return row
}
