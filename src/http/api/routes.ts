import { z } from 'zod'
import type { ApiCaller } from '../../core/api-keys.js'
import type { ApiTickets, Idempotency } from '../../core/api-tickets.js'
import type { Channel, TicketStatus } from '../../core/model.js'
import { WORKING, type TicketFilter } from '../../core/ticket-query.js'
import { invalidRequest } from './errors.js'
import {
  MessageCreated,
  NewMessageBody,
  NewTicketBody,
  PageQuery,
  Ticket,
  TicketListQuery,
  TicketPage,
  TicketPatchBody,
  TicketWithMessages,
} from './schemas.js'

/** What a route's handler gets: who called, and the request as its schemas read it. */
export interface Call<P, Q, B> {
  readonly caller: ApiCaller
  readonly params: P
  readonly query: Q
  readonly body: B
  readonly idempotency: Idempotency | undefined
}

export interface Reply {
  readonly status: number
  readonly body: unknown
  /** The answer to an earlier request with the same Idempotency-Key. */
  readonly replayed?: boolean
}

/** One operation of the API: its path (OpenAPI style), schemas, the least key role, and its work. */
export interface ApiRoute<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'GET' | 'POST' | 'PATCH'
  /** Under /api/v1, with `{name}` for path parameters. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  /** `admin`: only admin keys; `customer`: every key. */
  readonly role: 'customer' | 'admin'
  readonly params?: z.ZodType<P>
  readonly query?: z.ZodType<Q>
  readonly body?: z.ZodType<B>
  /** Whether an Idempotency-Key is honoured. */
  readonly idempotent?: boolean
  readonly answer: { readonly status: number; readonly schema: z.ZodType; readonly description: string }
  /** The refusals it may answer besides 401, 429 and 400. */
  readonly refusals: readonly number[]
  handle(call: Call<P, Q, B>): Promise<Reply>
}

const defineRoute = <P, Q, B>(route: ApiRoute<P, Q, B>): ApiRoute => route

const TicketId = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a ticket number'),
})
const ExternalId = z.object({ externalId: z.string().min(1).max(200) })

const DEFAULT_PAGE = 20

/** Cursors are opaque to callers: the id the next page starts below. */
const cursorOf = (id: number): string => Buffer.from(String(id)).toString('base64url')

function beforeIdOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined
  const id = Number(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!Number.isSafeInteger(id) || id < 1)
    throw invalidRequest([{ field: 'cursor', message: 'must be a cursor this API answered' }])
  return id
}

function page(result: { tickets: readonly { id: number }[]; more: boolean }) {
  const last = result.tickets.at(-1)
  return { data: result.tickets, nextCursor: result.more && last !== undefined ? cursorOf(last.id) : null }
}

function filterOf(query: z.infer<typeof TicketListQuery>, channels: readonly Channel[]): TicketFilter {
  const statuses: readonly TicketStatus[] =
    query.status === undefined
      ? WORKING
      : query.status === 'all'
        ? ['new', 'open', 'pending', 'on_hold', 'solved', 'closed']
        : (query.status.split(',') as TicketStatus[])
  if (query.channel !== undefined && !channels.includes(query.channel))
    throw invalidRequest([{ field: 'channel', message: `must be one of ${channels.join(', ')}` }])
  return {
    statuses,
    ...(query.assignee !== undefined && { assignee: query.assignee }),
    ...(query.channel !== undefined && { channel: query.channel }),
    ...(query.priority !== undefined && { priority: query.priority }),
    ...(query.tag !== undefined && { tag: query.tag }),
    ...(query.type !== undefined && { type: query.type }),
    ...(query.q !== undefined && { text: query.q }),
  }
}

/** Every operation of /api/v1: the router serves these, and the OpenAPI document lists exactly these. */
export function apiRoutes(tickets: ApiTickets, channels: readonly Channel[]): readonly ApiRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/tickets',
      operationId: 'createTicket',
      summary: 'Open a ticket for a customer, with their first message',
      description:
        'The ticket appears in Slack like any other channel’s: a thread with its root card, rules, SLA and assignment.',
      role: 'customer',
      body: NewTicketBody,
      idempotent: true,
      answer: { status: 201, schema: Ticket, description: 'The ticket opened' },
      refusals: [413, 422],
      handle: async ({ caller, body, idempotency }) => tickets.create(caller, body, idempotency),
    }),
    defineRoute({
      method: 'POST',
      path: '/tickets/{id}/messages',
      operationId: 'addMessage',
      summary: "Add a customer's message to a ticket opened through the API",
      description: 'A pending or solved ticket opens again; a closed one refuses (open a new ticket).',
      role: 'customer',
      params: TicketId,
      body: NewMessageBody,
      idempotent: true,
      answer: {
        status: 201,
        schema: MessageCreated,
        description: 'The message, and the ticket as it is now',
      },
      refusals: [404, 409, 413, 422],
      handle: async ({ caller, params, body, idempotency }) =>
        tickets.addMessage(caller, Number(params.id), body.text, idempotency),
    }),
    defineRoute({
      method: 'GET',
      path: '/tickets/{id}',
      operationId: 'getTicket',
      summary: 'A ticket with its public messages (never its notes)',
      role: 'customer',
      params: TicketId,
      answer: { status: 200, schema: TicketWithMessages, description: 'The ticket' },
      refusals: [404],
      handle: async ({ params }) => ({ status: 200, body: await tickets.get(Number(params.id)) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/tickets',
      operationId: 'listTickets',
      summary: 'Tickets that match the filters, newest first, a page at a time',
      description: 'The same filters as `/tickets` in Slack. Without `status`, the tickets that need work.',
      role: 'customer',
      query: TicketListQuery,
      answer: { status: 200, schema: TicketPage, description: 'One page of tickets' },
      refusals: [],
      handle: async ({ query }) => {
        const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit)
        const result = await tickets.list(filterOf(query, channels), limit, beforeIdOf(query.cursor))
        return { status: 200, body: page(result) }
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/tickets/{id}',
      operationId: 'updateTicket',
      summary: "Change a ticket's status, priority, type, tags or assignee (admin keys)",
      description:
        'All the changes are made, or none. Only keys created with the admin role may; the audit log and Slack show them as made by threaddesk.',
      role: 'admin',
      params: TicketId,
      body: TicketPatchBody,
      answer: { status: 200, schema: Ticket, description: 'The ticket as it is now' },
      refusals: [403, 404, 409, 413],
      handle: async ({ caller, params, body }) => ({
        status: 200,
        body: await tickets.update(caller, Number(params.id), body),
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/contacts/{externalId}/tickets',
      operationId: 'listContactTickets',
      summary: "A customer's tickets, by your site's id for them, newest first",
      role: 'customer',
      params: ExternalId,
      query: PageQuery,
      answer: {
        status: 200,
        schema: TicketPage,
        description: 'One page of tickets (empty for an unknown customer)',
      },
      refusals: [],
      handle: async ({ params, query }) => {
        const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit)
        const result = await tickets.ofContact(params.externalId, limit, beforeIdOf(query.cursor))
        return { status: 200, body: page(result) }
      },
    }),
  ]
}
