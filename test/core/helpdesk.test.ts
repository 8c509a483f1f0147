import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeskError } from '../../src/core/errors.js'
import { createHelpDesk, type HelpDesk } from '../../src/core/helpdesk.js'
import { defaultTexts } from '../../src/core/texts.js'
import type { Db } from '../../src/db/connection.js'
import { seedRoles } from '../../src/core/agents.js'
import { addAgentIfNew, findAgent, removeAgent } from '../../src/db/repos/agents.js'
import { deliveriesOf } from '../../src/db/repos/deliveries.js'
import { eventsOf } from '../../src/db/repos/events.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findContact } from '../../src/db/repos/contacts.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { manualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'

const agent = { deskUserId: 'UAGENT' }
const other = { deskUserId: 'UOTHER' }
const supervisor = { deskUserId: 'USUPER' }

describe('help desk', () => {
  let db: Db
  let desk: HelpDesk
  const clock = manualClock()

  beforeEach(async () => {
    db = await memoryDb()
    await seedRoles(db, [supervisor.deskUserId], 'supervisor', '2026-11-23T00:00:00.000Z')
    desk = createHelpDesk({ db, clock, texts: defaultTexts })
  })
  afterEach(async () => {
    await db.destroy()
  })

  const kinds = async (ticketId: number) => (await deliveriesOf(db, ticketId)).map((d) => d.kind)

  describe('receiving a customer message', () => {
    it('opens a new ticket, stores the message and queues the thread, the message and the confirmation', async () => {
      const { ticketId } = await desk.receive(inbound('My order never arrived'))
      const ticket = await findTicket(db, ticketId!)
      expect(ticket).toMatchObject({ status: 'new', channel: 'telegram', subject: 'My order never arrived' })
      expect(await kinds(ticketId!)).toEqual(['desk.open', 'desk.entry', 'customer.message', 'desk.entry'])
      const messages = await messagesOf(db, ticketId!)
      expect(messages.map((m) => m.direction)).toEqual(['inbound', 'outbound'])
      expect(messages[1]?.text).toContain(`#${ticketId}`)
      expect((await eventsOf(db, ticketId!)).map((e) => e.action)).toEqual(['created'])
    })

    it('appends later messages to the same ticket', async () => {
      const first = await desk.receive(inbound('Hello'))
      const second = await desk.receive(inbound('Are you there?'))
      expect(second.ticketId).toBe(first.ticketId)
      expect((await messagesOf(db, first.ticketId!)).filter((m) => m.direction === 'inbound')).toHaveLength(2)
    })

    it("keeps the customer's name, username and language as the platform last gave them", async () => {
      const ada = { externalId: '7001', displayName: 'Ada Lovelace', username: 'ada', language: 'en' }
      const contactOf = async (ticketId: number | null) =>
        findContact(db, (await findTicket(db, ticketId!))!.contact_id)
      const { ticketId } = await desk.receive(inbound('Hello', { contact: ada }))
      const first = await contactOf(ticketId)
      clock.advance(60_000)
      await desk.receive(inbound('Still there?', { contact: ada }))
      expect(await contactOf(ticketId)).toEqual(first)
      // A new name is taken; what the platform did not say this time stays as it was.
      await desk.receive(inbound('Renamed', { contact: { externalId: '7001', displayName: 'Ada King' } }))
      expect(await contactOf(ticketId)).toMatchObject({
        display_name: 'Ada King',
        username: 'ada',
        language: 'en',
      })
      // A stand-in name never replaces a known one, but a new username still lands.
      const standIn = { externalId: '7001', displayName: 'Customer', username: 'aking', provisional: true }
      await desk.receive(inbound('Profile unreadable', { contact: standIn }))
      expect(await contactOf(ticketId)).toMatchObject({
        id: first!.id,
        display_name: 'Ada King',
        username: 'aking',
      })
    })

    it('ignores a redelivered message', async () => {
      const msg = inbound('Hello')
      await desk.receive(msg)
      expect(await desk.receive(msg)).toEqual({ ticketId: null, duplicate: true })
      expect(await messagesOf(db, 1)).toHaveLength(2) // the message and the confirmation, once
    })

    it('reopens a solved ticket when the customer writes again', async () => {
      const { ticketId } = await desk.receive(inbound('Hello'))
      await desk.setStatus(agent, ticketId!, 'solved')
      await desk.receive(inbound('Actually it is still broken'))
      expect((await findTicket(db, ticketId!))?.status).toBe('open')
      const last = (await eventsOf(db, ticketId!)).at(-1)
      expect(last).toMatchObject({
        actor_type: 'customer',
        action: 'status',
        from_value: 'solved',
        to_value: 'open',
      })
    })

    it('moves a pending ticket back to open, and leaves one on hold alone', async () => {
      const { ticketId } = await desk.receive(inbound('Hello'))
      await desk.setStatus(agent, ticketId!, 'pending')
      await desk.receive(inbound('Here is the photo'))
      expect((await findTicket(db, ticketId!))?.status).toBe('open')
      await desk.setStatus(agent, ticketId!, 'on_hold')
      await desk.receive(inbound('Any news?'))
      expect((await findTicket(db, ticketId!))?.status).toBe('on_hold')
    })

    it('opens a follow-up ticket linked to a closed one', async () => {
      const { ticketId } = await desk.receive(inbound('Hello'))
      await desk.setStatus(agent, ticketId!, 'solved')
      await desk.close(ticketId!)
      const next = await desk.receive(inbound('New problem'))
      expect(next.ticketId).not.toBe(ticketId)
      expect(await findTicket(db, next.ticketId!)).toMatchObject({ status: 'new', follow_up_of: ticketId })
    })

    it('greets a customer who starts a conversation, without opening a ticket', async () => {
      const result = await desk.receive(inbound('/start', { kind: 'start' }))
      expect(result.ticketId).toBeNull()
      const queued = await db.selectFrom('deliveries').selectAll().execute()
      expect(queued).toHaveLength(1)
      expect(JSON.parse(queued[0]!.payload)).toMatchObject({ type: 'customer.direct', to: '7001' })
      expect(await db.selectFrom('tickets').selectAll().execute()).toHaveLength(0)
    })
  })

  describe('agent actions', () => {
    let ticketId: number
    beforeEach(async () => {
      ticketId = (await desk.receive(inbound('Hello'))).ticketId!
      await db.deleteFrom('deliveries').execute()
    })

    it('a first reply takes the ticket, opens it and queues the message for the customer', async () => {
      const out = await desk.reply(agent, ticketId, '  We are on it  ', { deskTs: '1.1' })
      expect(out.text).toContain(`#${ticketId}`)
      const ticket = await findTicket(db, ticketId)
      expect(ticket?.status).toBe('open')
      expect(ticket?.first_response_at).not.toBeNull()
      expect(await kinds(ticketId)).toEqual(['customer.message', 'desk.update'])
      expect((await messagesOf(db, ticketId)).at(-1)).toMatchObject({
        direction: 'outbound',
        text: 'We are on it',
      })
    })

    it('a reply made outside the thread is echoed into it', async () => {
      await desk.reply(agent, ticketId, 'From a slash command')
      expect(await kinds(ticketId)).toContain('desk.entry')
    })

    it('a note is stored and never queued for the customer', async () => {
      await desk.note(agent, ticketId, 'Customer is a VIP', { deskTs: '1.2' })
      await desk.note(agent, ticketId, 'Second note from /note')
      const deliveries = await deliveriesOf(db, ticketId)
      expect(deliveries.every((d) => d.lane === 'desk')).toBe(true)
      expect((await messagesOf(db, ticketId)).filter((m) => m.direction === 'note')).toHaveLength(2)
    })

    it('refuses an empty reply and a reply to an unknown ticket, storing nothing', async () => {
      await expect(desk.reply(agent, ticketId, '   ')).rejects.toMatchObject({ code: 'invalid' })
      await expect(desk.reply(agent, 999, 'hi')).rejects.toThrow('Ticket #999 does not exist.')
      expect(await db.selectFrom('deliveries').selectAll().execute()).toHaveLength(0)
    })

    it('refuses a reply to a closed ticket', async () => {
      await desk.setStatus(agent, ticketId, 'solved')
      await desk.close(ticketId)
      await expect(desk.reply(agent, ticketId, 'hello?')).rejects.toMatchObject({ code: 'conflict' })
    })

    it('lets any agent take a ticket but only supervisors assign others', async () => {
      await expect(desk.assign(agent, ticketId, other.deskUserId)).rejects.toMatchObject({
        code: 'forbidden',
      })
      expect((await findTicket(db, ticketId))?.assignee_id).toBeNull()
      await desk.assign(agent, ticketId, agent.deskUserId)
      // Assigning is not a way in: only someone the desk knows as an agent can be given a ticket.
      await expect(desk.assign(supervisor, ticketId, other.deskUserId)).rejects.toMatchObject({
        code: 'invalid',
        detail: { kind: 'not_an_agent', deskUserId: 'UOTHER' },
      })
      expect(await findAgent(db, other.deskUserId)).toBeUndefined()
      await addAgentIfNew(db, other.deskUserId, 'agent', '2026-12-01T10:00:00.000Z')
      const out = await desk.assign(supervisor, ticketId, other.deskUserId)
      expect(out).toEqual({ ticketId, assignee: 'UOTHER' })
      // Nor to someone whose access was taken away.
      await removeAgent(db, (await findAgent(db, agent.deskUserId))!.id, '2026-12-01T10:01:00.000Z')
      await expect(desk.assign(supervisor, ticketId, agent.deskUserId)).rejects.toMatchObject({
        detail: { kind: 'not_an_agent' },
      })
      const assigned = (await eventsOf(db, ticketId)).filter((e) => e.action === 'assigned')
      expect(assigned.map((e) => [e.from_value, e.to_value])).toEqual([
        [null, 'UAGENT'],
        ['UAGENT', 'UOTHER'],
      ])
    })

    it('follows the lifecycle and says why a step is refused', async () => {
      await desk.setStatus(agent, ticketId, 'solved')
      await expect(desk.setStatus(agent, ticketId, 'solved')).rejects.toThrow('already solved')
      await expect(desk.setStatus(agent, ticketId, 'pending')).rejects.toThrow('Reopen it first')
      expect((await desk.setStatus(agent, ticketId, 'open')).text).toBe(`Ticket #${ticketId} is reopened.`)
      // A new ticket is opened, not reopened.
      const { ticketId: fresh } = await desk.receive(
        inbound('Another question', { contact: { externalId: 'other', displayName: 'Other' } }),
      )
      expect((await desk.setStatus(agent, fresh!, 'open')).text).toBe(`Ticket #${fresh} is now open.`)
      const statuses = (await eventsOf(db, ticketId)).filter((e) => e.action === 'status')
      expect(statuses.map((e) => `${e.from_value}→${e.to_value}`)).toEqual(['new→solved', 'solved→open'])
    })

    it('handles a redelivered agent action once', async () => {
      await desk.setStatus(agent, ticketId, 'pending', { eventKey: 'Ev1' })
      const again = desk.setStatus(agent, ticketId, 'pending', { eventKey: 'Ev1' })
      await expect(again).rejects.toBeInstanceOf(DeskError)
      await expect(again).rejects.toMatchObject({ code: 'duplicate' })
    })
  })
})
