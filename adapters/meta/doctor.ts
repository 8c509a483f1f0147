import {
  failed,
  getJson,
  passed,
  unreachable,
  warning,
  type DoctorCheck,
  type DoctorContext,
} from '../shared/doctor.js'
import { GRAPH_RATE_LIMITS, type GraphError } from './graph.js'
import type { MetaApp } from './settings.js'

/** One Graph object a product's settings name (a phone number, an account), and how to talk about it. */
export interface GraphNode {
  /** `WhatsApp Cloud API`, `Instagram`. */
  readonly product: string
  readonly id: string
  readonly fields: readonly string[]
  readonly tokenVariable: string
  readonly idVariable: string
  /** Where a valid token comes from. */
  readonly tokenHelp: string
  /** Where the right id is found. */
  readonly idHelp: string
  /** The line for a node that answered. */
  describe(node: Readonly<Record<string, unknown>>): string
}

const shortMessage = (error: GraphError | undefined): string => {
  const text = error?.message ?? 'no details'
  return text.length > 100 ? `${text.slice(0, 99)}…` : text
}

/**
 * `GET /{version}/{id}` with the product's token: the token is accepted and the id is an object
 * it may read. Graph errors are told apart by code: 190 the token, 100 the id, 10 and 200–299 a
 * permission the token lacks.
 */
export async function checkGraphNode(
  app: MetaApp,
  token: string,
  node: GraphNode,
  ctx: DoctorContext,
): Promise<readonly DoctorCheck[]> {
  const url = `${app.graphUrl}/${app.version}/${node.id}?fields=${node.fields.join(',')}`
  const reply = await getJson(url, { authorization: `Bearer ${token}` }, ctx.timeoutMs)
  if (!reply.reached) return [unreachable(node.product, app.graphUrl, reply.reason, 'META_GRAPH_URL')]
  const body = (reply.body ?? {}) as Record<string, unknown> & { error?: GraphError }
  if (reply.status === 200 && body.error === undefined) return [passed(node.describe(body))]
  const code = body.error?.code
  const what = `${reply.status}${code === undefined ? '' : `, code ${code}`}: ${shortMessage(body.error)}`
  if (code === 190) return [failed(`${node.product} refused ${node.tokenVariable} (${what})`, node.tokenHelp)]
  if (code === 100)
    return [failed(`${node.product} cannot read ${node.idVariable} ${node.id} (${what})`, node.idHelp)]
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299))
    return [failed(`${node.product} denied ${node.tokenVariable} a permission (${what})`, node.tokenHelp)]
  if (reply.status === 429 || (code !== undefined && GRAPH_RATE_LIMITS.has(code)))
    return [
      warning(`${node.product} is rate limiting this app (${what})`, 'run the doctor again in a minute'),
    ]
  return [
    failed(`${node.product} answered ${what}`, 'try again later; if it persists, check META_GRAPH_VERSION'),
  ]
}
