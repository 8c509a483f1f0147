import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { seedRoles } from '../../src/core/agents.js'
import { createHelpDesk } from '../../src/core/helpdesk.js'
import { defaultTexts } from '../../src/core/texts.js'
import { manualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'

const agent = { deskUserId: 'UAGENT' }

/** One thing that happens: a customer writes, an agent notes on a customer's latest ticket, or it is closed. */
type Step =
  | { readonly op: 'write'; readonly customer: number; readonly text: string }
  | { readonly op: 'note'; readonly customer: number }
  | { readonly op: 'close'; readonly customer: number }

const customer = fc.integer({ min: 0, max: 5 })
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('write' as const),
    customer,
    text: fc.string({ minLength: 1, maxLength: 30 }),
  }),
  fc.record({ op: fc.constant('note' as const), customer }),
  fc.record({ op: fc.constant('close' as const), customer }),
)

describe('"my requests"', () => {
  it("lists exactly a customer's own tickets, and never a note, over many customers and tickets", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('/tickets', 'status', 'Estado?'),
        async (steps, ask) => {
          const db = await memoryDb()
          try {
            await seedRoles(db, [agent.deskUserId], 'agent', '2026-11-23T00:00:00.000Z')
            const desk = createHelpDesk({ db, clock: manualClock(), texts: defaultTexts })
            const contact = (n: number) => ({ externalId: `70${n}`, displayName: `Customer ${n}` })
            const notes: string[] = []
            for (const [i, s] of steps.entries()) {
              const latest = await db
                .selectFrom('tickets as t')
                .innerJoin('contacts as c', 'c.id', 't.contact_id')
                .select(['t.id', 't.status'])
                .where('c.external_id', '=', contact(s.customer).externalId)
                .orderBy('t.id', 'desc')
                .executeTakeFirst()
              if (s.op === 'write') {
                // Whatever the customer writes (even a word that asks for the list) is theirs.
                await desk.receive(inbound(s.text, { contact: contact(s.customer) }))
              } else if (latest !== undefined && latest.status !== 'closed') {
                if (s.op === 'note') {
                  const text = `NOTE-${i}-secret`
                  notes.push(text)
                  await desk.note(agent, latest.id, text)
                } else {
                  await db
                    .updateTable('tickets')
                    .set({ status: 'closed' })
                    .where('id', '=', latest.id)
                    .execute()
                }
              }
            }
            for (let n = 0; n <= 5; n++) {
              await desk.receive(inbound(ask, { contact: contact(n) }))
              const own = await db
                .selectFrom('tickets as t')
                .innerJoin('contacts as c', 'c.id', 't.contact_id')
                .select('t.id')
                .where('c.external_id', '=', contact(n).externalId)
                .orderBy('t.id', 'desc')
                .execute()
              const answers = await db
                .selectFrom('deliveries')
                .select('payload')
                .where('kind', '=', 'customer.direct')
                .orderBy('id', 'desc')
                .execute()
              const answer = answers
                .map((d) => JSON.parse(d.payload) as { to: string; text: string })
                .find((p) => p.to === contact(n).externalId)
              expect(answer).toBeDefined()
              const listed = [...answer!.text.matchAll(/^#(\d+) · /gm)].map((m) => Number(m[1]))
              expect(listed).toEqual(own.slice(0, 10).map((t) => t.id))
              for (const note of notes) expect(answer!.text).not.toContain(note)
            }
          } finally {
            await db.destroy()
          }
        },
      ),
      { numRuns: 40 },
    )
  })
})
