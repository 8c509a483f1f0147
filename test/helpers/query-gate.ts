import {
  AliasNode,
  InsertQueryNode,
  SelectQueryNode,
  TableNode,
  UpdateQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'

/** Which query to catch: an insert into or an update of a table, or a select whose first source is that table. */
export interface QueryMatch {
  readonly kind: 'insert' | 'update' | 'select'
  readonly table: string
}

interface Trap {
  readonly match: QueryMatch
  /** Runs once the query has run, before its caller sees the result; may wait or throw. */
  readonly spring: () => Promise<void>
}

function tableOf(node: OperationNode | undefined): string | undefined {
  if (node === undefined) return undefined
  if (TableNode.is(node)) return node.table.identifier.name
  if (AliasNode.is(node)) return tableOf(node.node)
  return undefined
}

function matches(node: RootOperationNode, match: QueryMatch): boolean {
  if (match.kind === 'insert') return InsertQueryNode.is(node) && tableOf(node.into) === match.table
  if (match.kind === 'update') return UpdateQueryNode.is(node) && tableOf(node.table) === match.table
  return SelectQueryNode.is(node) && tableOf(node.from?.froms[0]) === match.table
}

/**
 * A kysely plugin that holds or fails the next query of a kind, the way a slow or failing disk
 * would: the query has run (inside its transaction, if any) but its caller waits or gets an error.
 */
export function queryGate() {
  const traps: Trap[] = []
  const sprung = new Map<string, Trap>()

  const plugin: KyselyPlugin = {
    transformQuery({ queryId, node }: PluginTransformQueryArgs): RootOperationNode {
      const index = traps.findIndex((t) => matches(node, t.match))
      if (index >= 0) sprung.set(queryId.queryId, traps.splice(index, 1)[0]!)
      return node
    },
    async transformResult({ queryId, result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const trap = sprung.get(queryId.queryId)
      sprung.delete(queryId.queryId)
      if (trap !== undefined) await trap.spring()
      return result
    },
  }

  return {
    plugin,
    /** Holds the next matching query until `release()`; `reached` resolves when it is held. */
    holdNext(match: QueryMatch) {
      let reach = (): void => undefined
      let release = (): void => undefined
      const reached = new Promise<void>((resolve) => (reach = resolve))
      const released = new Promise<void>((resolve) => (release = resolve))
      traps.push({
        match,
        spring: () => {
          reach()
          return released
        },
      })
      return { reached, release: () => release() }
    },
    /** Fails the next matching query with `error`. */
    failNext(match: QueryMatch, error: Error): void {
      traps.push({ match, spring: () => Promise.reject(error) })
    },
  }
}
