import { Validator } from '@seriousme/openapi-schema-validator'
import { afterEach, describe, expect, it } from 'vitest'
import { countTickets } from '../../src/db/repos/ticket-list.js'
import {
  Ticket,
  TicketPage,
  TicketWithMessages,
  ApiErrorBody,
  MessageCreated,
} from '../../src/http/api/schemas.js'
import { ADMIN, api, createKey, faultyFields, idOf, newTicket } from '../helpers/api.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { afterAnswer } from '../helpers/settled.js'
import { openingOf } from '../helpers/slack-posts.js'
import { TICKET_STATUSES } from '../../src/core/model.js'

const all = { statuses: TICKET_STATUSES }

/** The HTTP API, driven over the real server with keys an admin created in Slack. */
describe('the HTTP API', () => {
  let h: Harness | undefined
  const start = async (env: Record<string, string> = {}) =>
    (h = await startHarness({ env: { SLACK_ADMINS: ADMIN, ...env } }))

  afterEach(async () => {
    await h?.stop()
    h = undefined
  })

  const refusal = (answer: { status: number; body: unknown }, status: number, code: string) => {
    expect(answer.status).toBe(status)
    expect(ApiErrorBody.parse(answer.body).error.code).toBe(code)
  }

  it('opens a ticket that Slack shows like any other, and shows the customer only public messages', async () => {
    const h = await start()
    const key = await createKey(h, 'website')
    const created = await api(h, 'POST', '/tickets', key, {
      ...newTicket(),
      subject: 'Order 1234',
      priority: 'high',
      tags: ['web'],
      language: 'en',
    })
    expect(created.status).toBe(201)
    const ticket = Ticket.parse(created.body)
    expect(ticket).toMatchObject({
      status: 'new',
      priority: 'high',
      subject: 'Order 1234',
      tags: ['web'],
      channel: 'api',
      contact: { externalId: 'cust-1', name: 'Ada Lovelace', email: 'ada@example.com' },
    })
    await h.app.outbox.drain()
    const root = h.slack.callsOf('chat.postMessage')[0]!
    expect(JSON.stringify(root.blocks)).toContain('API')
    expect(openingOf(root)).toBe('Where is my order 1234?')

    const row = await import('../../src/db/repos/tickets.js').then((m) => m.findTicket(h.db, ticket.id))
    await afterAnswer(() => h.threadReply(row!.thread_ts!, AGENT, 'note: check the warehouse first'))
    await afterAnswer(() => h.threadReply(row!.thread_ts!, AGENT, 'It ships *today*'))
    await h.app.outbox.drain()

    const got = await api(h, 'GET', `/tickets/${ticket.id}`, key)
    expect(got.status).toBe(200)
    const shown = TicketWithMessages.parse(got.body)
    expect(shown.status).toBe('open')
    expect(shown.assignee).toBe(AGENT)
    const texts = shown.messages.map((m) => `${m.direction}: ${m.text}`)
    expect(texts[0]).toBe('inbound: Where is my order 1234?')
    expect(texts).toContain('outbound: It ships **today**')
    expect(JSON.stringify(shown)).not.toContain('warehouse')

    const added = await api(h, 'POST', `/tickets/${ticket.id}/messages`, key, {
      text: 'Thanks! And the invoice?',
    })
    expect(added.status).toBe(201)
    expect(MessageCreated.parse(added.body).message).toMatchObject({
      direction: 'inbound',
      text: 'Thanks! And the invoice?',
    })
    await h.app.outbox.drain()
    expect(JSON.stringify(h.slack.callsOf('chat.postMessage'))).toContain('And the invoice?')
  })

  it('lists tickets with the Slack filters, a page at a time, and a customer’s tickets', async () => {
    const h = await start()
    const key = await createKey(h, 'website')
    for (const [who, text] of [
      ['cust-1', 'refund please'],
      ['cust-2', 'refund for order 9'],
      ['cust-1', 'login broken'],
    ] as const)
      expect((await api(h, 'POST', '/tickets', key, newTicket(who, text))).status).toBe(201)

    const first = await api(h, 'GET', '/tickets?q=refund&limit=1', key)
    expect(first.status).toBe(200)
    const page1 = TicketPage.parse(first.body)
    expect(page1.data.map((t) => t.subject)).toEqual(['refund for order 9'])
    const second = TicketPage.parse(
      (await api(h, 'GET', `/tickets?q=refund&limit=1&cursor=${page1.nextCursor}`, key)).body,
    )
    expect(second.data.map((t) => t.subject)).toEqual(['refund please'])
    expect(second.nextCursor).toBeNull()

    const filtered = TicketPage.parse(
      (await api(h, 'GET', '/tickets?status=new&channel=api&assignee=none', key)).body,
    )
    expect(filtered.data).toHaveLength(3)
    expect(TicketPage.parse((await api(h, 'GET', '/tickets?status=solved', key)).body).data).toEqual([])

    const mine = TicketPage.parse((await api(h, 'GET', '/contacts/cust-1/tickets', key)).body)
    expect(mine.data.map((t) => t.subject)).toEqual(['login broken', 'refund please'])
    expect(TicketPage.parse((await api(h, 'GET', '/contacts/nobody/tickets', key)).body).data).toEqual([])

    const bad = await api(h, 'GET', '/tickets?status=later&channel=fax&limit=500', key)
    refusal(bad, 400, 'invalid_request')
    expect(faultyFields(bad)).toEqual(['limit', 'status'])
    refusal(await api(h, 'GET', '/tickets?channel=fax', key), 400, 'invalid_request')
    refusal(await api(h, 'GET', '/tickets?cursor=bm9wZQ', key), 400, 'invalid_request')
  })

  it('lets admin keys change tickets, all or nothing, and refuses other keys', async () => {
    const h = await start()
    const site = await createKey(h, 'website')
    const admin = await createKey(h, 'crm', 'admin')
    const id = idOf(await api(h, 'POST', '/tickets', site, { ...newTicket(), tags: ['web'] }))

    refusal(await api(h, 'PATCH', `/tickets/${id}`, site, { status: 'solved' }), 403, 'forbidden')
    const changed = await api(h, 'PATCH', `/tickets/${id}`, admin, {
      status: 'pending',
      priority: 'urgent',
      type: 'question',
      tags: ['vip'],
      assignee: AGENT,
    })
    expect(changed.status).toBe(200)
    expect(Ticket.parse(changed.body)).toMatchObject({
      status: 'pending',
      priority: 'urgent',
      type: 'question',
      tags: ['vip'],
      assignee: AGENT,
    })
    await h.app.outbox.drain()
    expect(JSON.stringify(h.slack.callsOf('chat.update').at(-1))).toContain('Urgent')

    // A refusal of one field changes none of the others.
    const half = await api(h, 'PATCH', `/tickets/${id}`, admin, { priority: 'low', assignee: 'UNOBODY' })
    refusal(half, 400, 'invalid_request')
    expect(faultyFields(half)).toEqual(['assignee'])
    expect(ApiErrorBody.parse(half.body).error.message).toContain('not an agent')
    const invalid = await api(h, 'PATCH', `/tickets/${id}`, admin, { status: 'closed', colour: 'red' })
    refusal(invalid, 400, 'invalid_request')
    expect(faultyFields(invalid)).toEqual(['body', 'status'])
    refusal(await api(h, 'PATCH', `/tickets/${id}`, admin, { type: 'ufo' }), 400, 'invalid_request')
    refusal(await api(h, 'PATCH', `/tickets/${id}`, admin, {}), 400, 'invalid_request')
    expect(Ticket.parse((await api(h, 'GET', `/tickets/${id}`, admin)).body).priority).toBe('urgent')

    await api(h, 'PATCH', `/tickets/${id}`, admin, { status: 'solved' })
    refusal(await api(h, 'PATCH', `/tickets/${id}`, admin, { status: 'pending' }), 409, 'conflict')
    refusal(await api(h, 'PATCH', '/tickets/999', admin, { status: 'open' }), 404, 'not_found')
  })

  it('refuses with one error shape: bad input names each field, and nothing is half-created', async () => {
    const h = await start()
    const key = await createKey(h, 'website')
    const bad = await api(h, 'POST', '/tickets', key, {
      contact: { name: '', email: 'not-an-email' },
      message: '',
      priority: 'asap',
    })
    refusal(bad, 400, 'invalid_request')
    expect(faultyFields(bad)).toEqual([
      'contact.email',
      'contact.externalId',
      'contact.name',
      'message',
      'priority',
    ])
    expect(ApiErrorBody.parse(bad.body).error.fields).toContainEqual({
      field: 'contact.externalId',
      message: 'is required',
    })
    refusal(await api(h, 'POST', '/tickets', key, '{"contact":'), 400, 'invalid_request')
    refusal(await api(h, 'POST', '/tickets', key, { ...newTicket(), type: 'ufo' }), 400, 'invalid_request')
    refusal(
      await api(h, 'POST', '/tickets', key, { ...newTicket(), message: 'x'.repeat(300_000) }),
      413,
      'payload_too_large',
    )

    refusal(await api(h, 'POST', '/tickets', undefined, newTicket()), 401, 'unauthorized')
    refusal(await api(h, 'POST', '/tickets', 'td_wrong', newTicket()), 401, 'unauthorized')
    expect(await h.slash('/apikey', 'revoke website', ADMIN)).toContain('revoked')
    refusal(await api(h, 'GET', '/tickets', key), 401, 'unauthorized')
    expect(await countTickets(h.db, all, new Date())).toBe(0)

    const other = await createKey(h, 'app')
    refusal(await api(h, 'GET', '/tickets/12', other), 404, 'not_found')
    refusal(await api(h, 'GET', '/tickets/abc', other), 400, 'invalid_request')
    refusal(await api(h, 'GET', '/nothing-here', other), 404, 'not_found')
    const wrongMethod = await api(h, 'DELETE', '/tickets/1', other)
    refusal(wrongMethod, 405, 'method_not_allowed')
    expect(wrongMethod.headers.get('allow')).toBe('GET, PATCH')
    refusal(await api(h, 'POST', '/tickets/12/messages', other, { text: 'hi' }), 404, 'not_found')
  })

  it('answers a repeated request with its first answer, and refuses the same key for another body', async () => {
    const h = await start()
    const key = await createKey(h, 'website')
    const headers = { 'idempotency-key': 'order-1234-help' }
    const first = await api(h, 'POST', '/tickets', key, newTicket(), headers)
    const again = await api(h, 'POST', '/tickets', key, newTicket(), headers)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await countTickets(h.db, all, new Date())).toBe(1)

    refusal(
      await api(h, 'POST', '/tickets', key, newTicket('cust-9'), headers),
      422,
      'idempotency_key_reused',
    )
    // A day later the key is free again.
    h.clock.advance(25 * 3_600_000)
    const later = await api(h, 'POST', '/tickets', key, newTicket('cust-9'), headers)
    expect(later.status).toBe(201)
    expect(idOf(later)).not.toBe(idOf(first))

    const msgHeaders = { 'idempotency-key': 'msg-1' }
    const m1 = await api(h, 'POST', `/tickets/${idOf(first)}/messages`, key, { text: 'hello?' }, msgHeaders)
    const m2 = await api(h, 'POST', `/tickets/${idOf(first)}/messages`, key, { text: 'hello?' }, msgHeaders)
    expect(m2.body).toEqual(m1.body)
    const got = TicketWithMessages.parse((await api(h, 'GET', `/tickets/${idOf(first)}`, key)).body)
    expect(got.messages.filter((m) => m.text === 'hello?')).toHaveLength(1)
  })

  it('answers a burst as if sent one by one: each its own answer, a refusal undoing only itself', async () => {
    const h = await start()
    const key = await createKey(h, 'website')
    const headers = { 'idempotency-key': 'burst-1' }
    const first = await api(h, 'POST', '/tickets', key, newTicket(), headers)
    const [replays, reused, fresh] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => api(h, 'POST', '/tickets', key, newTicket(), headers))),
      api(h, 'POST', '/tickets', key, newTicket('cust-9'), headers),
      Promise.all(
        Array.from({ length: 5 }, (_, i) => api(h, 'POST', '/tickets', key, newTicket(`burst-${i}`))),
      ),
    ])
    for (const again of replays) expect(again.body).toEqual(first.body)
    refusal(reused, 422, 'idempotency_key_reused')
    expect(fresh.map((a) => a.status)).toEqual([201, 201, 201, 201, 201])
    expect(new Set([first, ...fresh].map(idOf)).size).toBe(6)
    expect(await countTickets(h.db, all, new Date())).toBe(6)
  })

  it('limits each key’s requests, and says when to try again', async () => {
    const h = await start({ API_RATE_LIMIT: '3/min' })
    const key = await createKey(h, 'website')
    const other = await createKey(h, 'app')
    for (let i = 0; i < 3; i++) expect((await api(h, 'GET', '/tickets', key)).status).toBe(200)
    const limited = await api(h, 'GET', '/tickets', key)
    refusal(limited, 429, 'rate_limited')
    expect(limited.headers.get('retry-after')).toBe('20')
    expect((await api(h, 'GET', '/tickets', other)).status).toBe(200)
    h.clock.advance(20_000)
    expect((await api(h, 'GET', '/tickets', key)).status).toBe(200)
  })

  it('publishes an OpenAPI 3.1 document that validates and lists exactly the routes served', async () => {
    const h = await start()
    const res = await fetch(`${h.base}/api/v1/openapi.json`)
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(doc.openapi).toBe('3.1.0')
    const verdict = await new Validator().validate(doc)
    expect(verdict.errors ?? []).toEqual([])
    expect(verdict.valid).toBe(true)

    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort()
    expect(documented).toEqual([
      'GET /contacts/{externalId}/tickets',
      'GET /tickets',
      'GET /tickets/{id}',
      'PATCH /tickets/{id}',
      'POST /tickets',
      'POST /tickets/{id}/messages',
    ])
    // Every documented operation is served: with no key, each answers 401, none 404 or 405.
    const key = undefined
    for (const op of documented) {
      const [method = '', path = ''] = op.split(' ')
      const concrete = path.replace('{id}', '1').replace('{externalId}', 'cust-1')
      const answer = await api(h, method, concrete, key, method === 'GET' ? undefined : {})
      expect(answer.status, op).toBe(401)
    }
  })
})
