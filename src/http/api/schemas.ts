import { z } from 'zod'
import { PRIORITIES, TICKET_STATUSES } from '../../core/model.js'

/**
 * What the API takes and answers, as zod schemas: requests are validated with them, and the
 * OpenAPI document (openapi.ts) is made from them, so the two cannot differ.
 */

const TAG = /^[a-z0-9][a-z0-9_-]{0,31}$/
const Tag = z.string().regex(TAG, 'must be lowercase letters, digits, - and _, at most 32')
const Text = z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters')

export const NewTicketBody = z
  .object({
    contact: z
      .object({
        externalId: z.string().trim().min(1, 'must not be empty').max(200).meta({
          description: "Your site's id for the customer; their tickets are found by it",
        }),
        name: z.string().trim().min(1, 'must not be empty').max(200),
        email: z.email('must be an email address').optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9 ()-]{4,32}$/, 'must be a phone number')
          .optional(),
      })
      .strict(),
    message: Text.meta({ description: "The customer's first message" }),
    subject: z.string().trim().min(1).max(120).optional(),
    priority: z.enum(PRIORITIES).optional(),
    type: z.string().min(1).max(40).optional().meta({ description: 'One of the ticket types the desk uses' }),
    tags: z.array(Tag).max(20).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or pt-BR')
      .optional(),
  })
  .strict()
  .meta({ id: 'NewTicket' })

export const NewMessageBody = z
  .object({ text: Text.meta({ description: "The customer's message" }) })
  .strict()
  .meta({ id: 'NewMessage' })

export const TicketPatchBody = z
  .object({
    status: z.enum(['open', 'pending', 'on_hold', 'solved']).optional(),
    priority: z.enum(PRIORITIES).optional(),
    type: z.string().min(1).max(40).nullable().optional(),
    tags: z.array(Tag).max(20).optional().meta({ description: "The ticket's tags, all of them" }),
    assignee: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABC')
      .nullable()
      .optional()
      .meta({ description: 'A Slack user id of an agent, or null for nobody' }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' })
  .meta({ id: 'TicketPatch' })

export const TicketListQuery = z
  .object({
    status: z
      .string()
      .regex(
        new RegExp(`^(all|(${TICKET_STATUSES.join('|')})(,(${TICKET_STATUSES.join('|')}))*)$`),
        `must be all, or statuses separated by commas (${TICKET_STATUSES.join(', ')})`,
      )
      .optional()
      .meta({ description: 'Statuses, comma-separated, or `all`; without it, the tickets that need work' }),
    assignee: z
      .string()
      .regex(/^(none|[UW][A-Z0-9]{2,})$/, 'must be none or a Slack user id')
      .optional(),
    channel: z.string().min(1).optional(),
    priority: z.enum(PRIORITIES).optional(),
    tag: Tag.optional(),
    type: z.string().min(1).optional(),
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Words to find in subjects and topics' }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor this API answered')
      .optional(),
    limit: z
      .string()
      .regex(/^([1-9]|[1-9][0-9]|100)$/, 'must be a number from 1 to 100')
      .optional()
      .meta({ description: 'Tickets per page, 1 to 100 (default 20)' }),
  })
  .strict()

export const PageQuery = TicketListQuery.pick({ cursor: true, limit: true })

export const Contact = z
  .object({
    externalId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    language: z.string().nullable(),
  })
  .meta({ id: 'Contact' })

export const Ticket = z
  .object({
    id: z.number().int(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(PRIORITIES),
    type: z.string().nullable(),
    subject: z.string(),
    tags: z.array(z.string()),
    channel: z.string().meta({ description: '`api` for tickets opened here; else the platform' }),
    contact: Contact,
    assignee: z.string().nullable().meta({ description: 'The Slack user id of the agent who has it' }),
    followUpOf: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Ticket' })

export const Message = z
  .object({
    id: z.number().int(),
    direction: z.enum(['inbound', 'outbound']).meta({
      description: '`inbound`: the customer wrote it; `outbound`: a reply that was sent',
    }),
    text: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Message' })

export const TicketWithMessages = Ticket.extend({ messages: z.array(Message) }).meta({
  id: 'TicketWithMessages',
  description: 'A ticket and its public messages, oldest first; notes are never shown',
})

export const MessageCreated = z.object({ ticket: Ticket, message: Message }).meta({ id: 'MessageCreated' })

export const TicketPage = z
  .object({
    data: z.array(Ticket),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .meta({ id: 'TicketPage' })

export const ApiErrorBody = z
  .object({
    error: z.object({
      code: z.enum([
        'invalid_request',
        'unauthorized',
        'forbidden',
        'not_found',
        'method_not_allowed',
        'conflict',
        'idempotency_key_reused',
        'payload_too_large',
        'rate_limited',
        'unavailable',
        'internal',
      ]),
      message: z.string(),
      fields: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .meta({ description: 'For invalid_request: each field at fault (a dotted path) and why' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every refusal has this shape' })

export type ErrorCodeName = z.infer<typeof ApiErrorBody>['error']['code']
