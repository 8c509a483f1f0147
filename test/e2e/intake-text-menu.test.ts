import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { FakeWebClient, watchedWebAdapter, webMessage } from '../fakes/whatsapp-web-client.js'
import { startHarness, type Harness } from '../helpers/harness.js'
import type { watchHost } from '../helpers/watched-host.js'

describe('the triage menu as numbered text (whatsapp-web.js, which has no buttons)', () => {
  let h: Harness
  let client: FakeWebClient
  let whatsapp: ReturnType<typeof watchHost>
  let count = 0

  beforeEach(async () => {
    client = new FakeWebClient()
    whatsapp = watchedWebAdapter(client)
    h = await startHarness({
      env: { INTAKE: 'menu' },
      app: { channels: { adapters: [whatsapp.adapter], routes: [] } },
    })
    client.emit('ready')
    count = 0
  })
  afterEach(async () => {
    await h.stop()
  })

  async function write(body: string, from?: string) {
    client.emit('message', webMessage({ body, ...(from !== undefined && { from }) }))
    await whatsapp.received.reach(++count)
    await h.app.outbox.drain()
  }

  it('lists the kinds with numbers; a number answers it once, and the same message sent again changes nothing', async () => {
    await write('My parcel is late')
    expect(client.sent.at(-1)!.content).toBe(
      [
        'What is your request about? Pick one, or just keep writing.',
        '',
        '1. Incident',
        '2. Problem',
        '3. Question',
        '4. Task',
        '',
        'Reply with the number of your choice.',
      ].join('\n'),
    )
    const three = webMessage({ body: '3' })
    client.emit('message', three)
    client.emit('message', three)
    await whatsapp.received.reach(count + 2)
    count += 2
    await h.app.outbox.drain()
    expect((await findTicket(h.db, 1))!.type).toBe('question')
    // The answer was a choice, not a message for the team; a later number is a message again.
    await write('2')
    expect((await findTicket(h.db, 1))!.type).toBe('question')
    const inbound = (await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound').map((m) => m.text)
    expect(inbound).toEqual(['My parcel is late', '2'])
  })

  it('never holds up a customer who writes on: the menu then takes no number, and a number out of range is a message', async () => {
    await write('Checkout fails')
    await write('9')
    await write('It says error 500')
    await write('1')
    expect((await findTicket(h.db, 1))!.type).toBeNull()
    const inbound = (await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound').map((m) => m.text)
    expect(inbound).toEqual(['Checkout fails', '9', 'It says error 500', '1'])
    const posted = h.slack.callsOf('chat.postMessage').map((p) => String(p.text))
    expect(posted).toEqual(expect.arrayContaining(['9', 'It says error 500', '1']))
  })
})
