import { describe, expect, it } from 'vitest'
import { contactWithLatestTicket, findContact, upsertContact } from '../../src/db/repos/contacts.js'
import { createTicket, findTicket, setTicketStatus } from '../../src/db/repos/tickets.js'
import { memoryDb } from '../helpers/db.js'

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString()

describe('a contact read with their latest ticket', () => {
  it('is the contact as stored and the ticket opened last, whatever its status', async () => {
    const db = await memoryDb()
    const ada = await upsertContact(
      db,
      'telegram',
      { externalId: '42', displayName: 'Ada', language: 'en' },
      at(0),
    )
    // Another channel's contact of the same id, and another contact's newer ticket, are not hers.
    const other = await upsertContact(db, 'whatsapp', { externalId: '42', displayName: 'Bob' }, at(0))
    expect(await contactWithLatestTicket(db, 'telegram', '42')).toEqual({ contact: ada, latest: undefined })

    const ticket = (n: number, contactId: number) =>
      createTicket(
        db,
        { contactId, channel: 'telegram', subject: `t${n}`, followUpOf: null, lastCustomerMessageAt: at(n) },
        at(n),
      )
    await ticket(1, ada.id)
    const second = await ticket(2, ada.id)
    await setTicketStatus(db, second.id, { status: 'closed', solvedAt: at(3), closedAt: at(3) }, at(3))
    await ticket(4, other.id)

    const found = await contactWithLatestTicket(db, 'telegram', '42')
    expect(found?.contact).toEqual(await findContact(db, ada.id))
    expect(found?.latest).toEqual(await findTicket(db, second.id))
    expect(found?.latest?.status).toBe('closed')
    expect(await contactWithLatestTicket(db, 'telegram', '43')).toBeUndefined()
    await db.destroy()
  })
})
