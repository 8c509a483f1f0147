import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { attachmentsOfTicket } from '../../src/db/repos/attachments.js'
import { deliveriesOf } from '../../src/db/repos/deliveries.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { fakeSha256, type FakeFile } from '../fakes/files.js'
import { telegramText } from '../fakes/telegram-api.js'
import {
  AGENT,
  startHarness,
  SUPPORT_CHANNEL,
  type Harness,
  type HarnessOptions,
} from '../helpers/harness.js'
import { expectLogged } from '../helpers/log.js'
import { newTs, viewSubmission } from '../helpers/slack-requests.js'
import { sectionsOf } from '../helpers/slack-posts.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

const ADA = { id: 7001, first_name: 'Ada', username: 'ada' }
const MB = 1024 * 1024

const file = (size: number, mimeType: string, seed = 1): FakeFile => ({ size, mimeType, seed })

/** A customer's message with one file, as Telegram sends it. */
function telegramFile(field: string, value: unknown, caption?: string) {
  const message: Record<string, unknown> = telegramText('', ADA)
  delete message.text
  return { ...message, [field]: value, ...(caption !== undefined && { caption }) }
}

describe('files from a Telegram customer into the Slack thread', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  async function start(opts: HarnessOptions = {}) {
    h = await startHarness({ telegram: 'polling', ...opts })
  }

  async function customerSends(message: Record<string, unknown>) {
    const update = h.telegram.push(message)
    await h.telegram.confirmed(update.update_id)
    await h.app.outbox.drain()
    return (await findTicket(h.db, 1))!
  }

  /** What the thread's posts show, after its root: their text, and each entry of a post of several. */
  const threadLines = (threadTs: string | null) =>
    h.slack
      .callsOf('chat.postMessage')
      .filter((p) => p.thread_ts === threadTs)
      .flatMap((p) => [String(p.text), ...sectionsOf(p)])

  it('uploads a photo into the thread with its caption, and keeps only its facts', async () => {
    await start()
    const photo = file(300_000, 'image/jpeg', 3)
    h.telegram.addFile('photo-big', photo)
    const ticket = await customerSends(
      telegramFile(
        'photo',
        [
          { file_id: 'photo-small', file_size: 900 },
          { file_id: 'photo-big', file_size: 300_000 },
        ],
        'The screen is cracked',
      ),
    )

    // The root shows the caption; the photo itself follows in the thread, in Slack's own viewer.
    const [asked] = h.slack.callsOf('files.getUploadURLExternal')
    expect(asked?.filename).toMatch(/^photo-\d+\.jpg$/)
    expect(asked?.length).toBe('300000')
    expect(h.slack.uploads).toEqual([expect.objectContaining({ size: 300_000, sha256: fakeSha256(photo) })])
    expect(h.slack.callsOf('files.completeUploadExternal')).toEqual([
      expect.objectContaining({ channel_id: SUPPORT_CHANNEL, thread_ts: ticket.thread_ts }),
    ])
    const [stored] = await attachmentsOfTicket(h.db, ticket.id)
    expect(stored).toMatchObject({
      direction: 'inbound',
      kind: 'photo',
      mime_type: 'image/jpeg',
      size: 300_000,
      sha256: fakeSha256(photo),
      status: 'delivered',
      stored_path: null,
    })
    // Without ATTACHMENT_DIR the bytes are not kept once delivered.
    const spool = join(tmpdir(), 'threaddesk-files')
    expect(existsSync(spool) ? readdirSync(spool).filter((f) => f.startsWith(`${stored!.id}-`)) : []).toEqual(
      [],
    )
  })

  it('uploads a voice note as an ogg file Slack plays, titled as a voice note', async () => {
    await start()
    h.telegram.addFile('voice-1', file(40_000, 'audio/ogg'))
    await customerSends(
      telegramFile('voice', { file_id: 'voice-1', mime_type: 'audio/ogg', file_size: 40_000, duration: 3 }),
    )
    expect(h.slack.callsOf('files.getUploadURLExternal')[0]?.filename).toMatch(/^voice-\d+\.ogg$/)
    const [done] = h.slack.callsOf('files.completeUploadExternal')
    expect((done?.files as { title: string }[]).map((f) => f.title)).toEqual([
      expect.stringMatching(/^Voice note \(voice-\d+\.ogg\)$/),
    ])
  })

  it('says in the thread that a file over MAX_ATTACHMENT_MB is not shown, and fetches nothing', async () => {
    await start({ env: { MAX_ATTACHMENT_MB: '1' } })
    h.telegram.addFile('video-1', file(2 * MB, 'video/mp4'))
    const ticket = await customerSends(
      telegramFile('video', { file_id: 'video-1', mime_type: 'video/mp4', file_size: 2 * MB }, 'See this'),
    )
    expect(h.telegram.calls.filter((c) => c.method === 'getFile')).toEqual([])
    expect(h.slack.uploads).toEqual([])
    expect(threadLines(ticket.thread_ts).join('\n')).toMatch(
      /:warning: The customer sent a file that is not shown here \(video-\d+\.mp4\): video-\d+\.mp4 is 2 MB, over the 1 MB limit \(MAX_ATTACHMENT_MB\)/,
    )
    expect((await attachmentsOfTicket(h.db, ticket.id))[0]).toMatchObject({ status: 'refused' })
  })

  it('refuses a type ATTACHMENT_TYPES does not allow, and says so in the thread', async () => {
    await start()
    h.telegram.addFile('exe-1', file(1000, 'application/x-msdownload'))
    const ticket = await customerSends(
      telegramFile('document', {
        file_id: 'exe-1',
        file_name: 'setup.exe',
        mime_type: 'application/x-msdownload',
      }),
    )
    expect(h.slack.uploads).toEqual([])
    expect(threadLines(ticket.thread_ts).join('\n')).toContain(
      'setup.exe is a type of file the desk does not let through (application/x-msdownload; see ATTACHMENT_TYPES)',
    )
  })

  it('tries again when the download stops midway, and uploads the whole file once', async () => {
    await start()
    const pdf = { ...file(500_000, 'application/pdf', 9), cutAfter: 200_000 }
    h.telegram.addFile('pdf-1', pdf)
    const ticket = await customerSends(
      telegramFile('document', {
        file_id: 'pdf-1',
        file_name: 'invoice.pdf',
        mime_type: 'application/pdf',
        file_size: 500_000,
      }),
    )
    expect(h.slack.uploads).toEqual([])
    expect(h.log.find('warn', 'delivery failed, will retry')).toMatchObject({ kind: 'desk.file' })

    h.clock.advance(2_000)
    await h.app.outbox.drain()
    expect(h.slack.uploads).toEqual([expect.objectContaining({ size: 500_000, sha256: fakeSha256(pdf) })])
    expect((await deliveriesOf(h.db, ticket.id)).every((d) => d.status === 'sent')).toBe(true)
  })

  it('says in the thread that a file too slow to fetch is not shown, after three tries, and goes on', async () => {
    await start({ env: { SEND_TIMEOUT_MS: '200' } })
    h.telegram.addFile('pdf-1', { ...file(100_000, 'application/pdf'), stallAfter: 1_000 })
    const ticket = await customerSends(
      telegramFile('document', {
        file_id: 'pdf-1',
        file_name: 'scan.pdf',
        mime_type: 'application/pdf',
        file_size: 100_000,
      }),
    )
    await customerSends(telegramText('Did you get my scan?', ADA))
    for (const backoff of [2_000, 4_000]) {
      // The message after the file waits behind it.
      expect(threadLines(ticket.thread_ts).some((l) => l.includes('Did you get my scan?'))).toBe(false)
      h.clock.advance(backoff)
      await h.app.outbox.drain()
    }
    expect(h.slack.uploads).toEqual([])
    const lines = threadLines(ticket.thread_ts)
    expect(lines).toContain(
      ':warning: The customer sent a file that is not shown here (scan.pdf): Telegram download did not finish within 582 ms, 3 times: ask the customer to send it again',
    )
    expect(lines.some((l) => l.includes('Did you get my scan?'))).toBe(true)
    expect((await deliveriesOf(h.db, ticket.id)).every((d) => d.status === 'sent')).toBe(true)
  })

  it('says in the thread that a download link expired', async () => {
    await start()
    h.telegram.addFile('doc-1', { ...file(1000, 'application/pdf'), expired: true })
    const ticket = await customerSends(
      telegramFile('document', { file_id: 'doc-1', file_name: 'old.pdf', mime_type: 'application/pdf' }),
    )
    expect(threadLines(ticket.thread_ts)).toContain(
      ':warning: The customer sent a file that is not shown here (old.pdf): Telegram file download answered 404: the file is gone or its link expired',
    )
  })

  it('keeps the bytes under ATTACHMENT_DIR when it is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threaddesk-kept-'))
    try {
      await start({ env: { ATTACHMENT_DIR: dir } })
      h.telegram.addFile('photo-1', file(10_000, 'image/jpeg'))
      const ticket = await customerSends(telegramFile('photo', [{ file_id: 'photo-1' }]))
      const [stored] = await attachmentsOfTicket(h.db, ticket.id)
      expect(stored?.stored_path).toBe(join(dir, `${stored!.id}-${stored!.name}`))
      expect(readdirSync(dir)).toEqual([`${stored!.id}-${stored!.name}`])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('an upload cut off by a restart', () => {
  it('is made again, whole, once the desk is back', async () => {
    const env = { DATABASE_URL: await tempDatabaseUrl(), SHUTDOWN_TIMEOUT_MS: '0' }
    const first = await startHarness({ telegram: 'polling', env })
    const pdf = file(2 * MB, 'application/pdf', 5)
    first.telegram.addFile('pdf-1', pdf)
    const update = first.telegram.push(
      telegramFile('document', {
        file_id: 'pdf-1',
        file_name: 'report.pdf',
        mime_type: 'application/pdf',
        file_size: 2 * MB,
      }),
    )
    await first.telegram.confirmed(update.update_id)
    first.slack.holdUploads(256 * 1024)
    const working = first.app.outbox.drain()
    await expect.poll(() => first.slack.uploadsHeld()).toBe(1)

    // The process goes away with the upload half done: its row is still queued.
    expectLogged('outbox bookkeeping failed, holding the row back')
    await first.app.stop(0)
    first.slack.releaseUploads()
    await first.log.next('outbox bookkeeping failed, holding the row back')
    // The old worker ends with its database.
    await working.catch(() => undefined)
    await first.stop().catch(() => undefined)
    expect(first.slack.uploads).toEqual([])

    const h = await startHarness({ telegram: 'polling', env })
    try {
      h.telegram.addFile('pdf-1', pdf)
      // On PostgreSQL the row is still claimed by the process that went away: it is taken over
      // once that claim lapses (twice the send timeout and 30 s).
      h.clock.advance(2 * 30_000 + 30_000)
      await h.app.outbox.drain()
      expect(h.slack.uploads).toEqual([expect.objectContaining({ size: 2 * MB, sha256: fakeSha256(pdf) })])
      expect(h.slack.callsOf('files.completeUploadExternal')).toHaveLength(1)
      expect((await attachmentsOfTicket(h.db, 1))[0]).toMatchObject({
        status: 'delivered',
        sha256: fakeSha256(pdf),
      })
    } finally {
      await h.stop()
    }
  })
})

describe('files an agent attaches to a thread reply, to a Telegram customer', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  async function ticketFromTelegram() {
    const update = h.telegram.push(telegramText('Can I have my invoice?', ADA))
    await h.telegram.confirmed(update.update_id)
    await h.app.outbox.drain()
    h.telegram.sent.length = 0
    return (await findTicket(h.db, 1))!
  }

  /** An agent's thread reply with files, as Slack sends it. */
  const replyWithFiles = (threadTs: string, text: string, files: Record<string, unknown>[]) =>
    h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      channel_type: 'channel',
      user: AGENT,
      text,
      ts: newTs(),
      thread_ts: threadTs,
      files,
    })

  it('sends a PDF as a document with the reply as its caption', async () => {
    h = await startHarness({ telegram: 'polling' })
    const ticket = await ticketFromTelegram()
    const pdf = file(700_000, 'application/pdf', 4)
    const res = await replyWithFiles(ticket.thread_ts!, 'Here is your *invoice*', [
      h.slack.addFile('F1', 'invoice-5531.pdf', pdf),
    ])
    expect(res.status).toBe(200)
    await h.app.outbox.drain()

    expect(h.telegram.fileDeliveries).toEqual([
      {
        method: 'sendDocument',
        chatId: '7001',
        caption: 'Here is your invoice',
        file: {
          name: 'invoice-5531.pdf',
          type: 'application/octet-stream',
          size: 700_000,
          sha256: fakeSha256(pdf),
        },
      },
    ])
    // The caption's marks leave as entities, as a text reply's would.
    expect(h.telegram.calls.find((c) => c.method === 'sendDocument')?.args.caption_entities).toBe(
      JSON.stringify([{ type: 'bold', offset: 13, length: 7 }]),
    )
    expect(h.telegram.sent).toEqual([])
    const [stored] = await attachmentsOfTicket(h.db, ticket.id)
    expect(stored).toMatchObject({ direction: 'outbound', status: 'delivered', sha256: fakeSha256(pdf) })
  })

  it('sends a screenshot as a photo, and a voice clip as a voice note', async () => {
    h = await startHarness({ telegram: 'polling' })
    const ticket = await ticketFromTelegram()
    await replyWithFiles(ticket.thread_ts!, '', [
      h.slack.addFile('F1', 'screenshot.png', file(80_000, 'image/png')),
      { ...h.slack.addFile('F2', 'clip.ogg', file(30_000, 'audio/ogg')), subtype: 'slack_audio' },
    ])
    await h.app.outbox.drain()
    expect(h.telegram.fileDeliveries.map((d) => [d.method, d.file.name, d.caption])).toEqual([
      ['sendPhoto', 'screenshot.png', undefined],
      ['sendVoice', 'clip.ogg', undefined],
    ])
  })

  it('refuses in the thread, with the reason, a file over the limit or of a forbidden type, and sends nothing', async () => {
    h = await startHarness({ telegram: 'polling', env: { MAX_ATTACHMENT_MB: '1' } })
    const ticket = await ticketFromTelegram()
    await replyWithFiles(ticket.thread_ts!, 'The video', [
      h.slack.addFile('F1', 'demo.mp4', file(3 * MB, 'video/mp4')),
    ])
    await replyWithFiles(ticket.thread_ts!, 'Run this', [
      h.slack.addFile('F2', 'fix.exe', file(1000, 'application/x-msdownload')),
    ])
    await h.app.outbox.drain()

    expect(h.slack.callsOf('chat.postEphemeral').map((p) => [p.user, p.thread_ts, p.text])).toEqual([
      [
        AGENT,
        ticket.thread_ts,
        ':warning: Nothing of that message was sent: demo.mp4 is 3 MB, over the 1 MB limit (MAX_ATTACHMENT_MB).',
      ],
      [
        AGENT,
        ticket.thread_ts,
        ':warning: Nothing of that message was sent: fix.exe is a type of file the desk does not let through (application/x-msdownload; see ATTACHMENT_TYPES).',
      ],
    ])
    expect(h.telegram.fileDeliveries).toEqual([])
    expect(h.telegram.sent).toEqual([])
    expect((await messagesOf(h.db, ticket.id)).filter((m) => m.agent_id !== null)).toEqual([])
  })

  it('keeps the files of a private note in Slack', async () => {
    h = await startHarness({ telegram: 'polling' })
    const ticket = await ticketFromTelegram()
    await replyWithFiles(ticket.thread_ts!, 'note: the customer’s contract', [
      h.slack.addFile('F1', 'contract.pdf', file(5000, 'application/pdf')),
    ])
    await h.app.outbox.drain()
    expect(h.telegram.fileDeliveries).toEqual([])
    expect(h.telegram.sent).toEqual([])
    expect((await messagesOf(h.db, ticket.id)).at(-1)).toMatchObject({
      direction: 'note',
      text: 'the customer’s contract',
    })
    expect(await attachmentsOfTicket(h.db, ticket.id)).toEqual([])
  })

  it('says in the thread when the file was deleted from Slack before it could leave', async () => {
    expectLogged('delivery failed for good')
    h = await startHarness({ telegram: 'polling' })
    const ticket = await ticketFromTelegram()
    await replyWithFiles(ticket.thread_ts!, 'Attached', [
      h.slack.addFile('F1', 'quote.pdf', file(5000, 'application/pdf')),
    ])
    h.slack.deleteFile('F1')
    await h.app.outbox.drain()
    expect(h.telegram.fileDeliveries).toEqual([])
    const lines = h.slack
      .callsOf('chat.postMessage')
      .filter((p) => p.thread_ts === ticket.thread_ts)
      .map((p) => String(p.text))
    expect(lines.at(-1)).toBe(
      ':warning: A message to the customer could not be delivered: quote.pdf could not be fetched from Slack: Slack answered 404: the file is gone or its link expired',
    )
  })
})

describe('files an agent sends with the /reply form, to a Telegram customer', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  /** A ticket from Telegram, and the reply form `/reply N` opened for it. */
  async function openForm() {
    h = await startHarness({ telegram: 'polling', env: { MAX_ATTACHMENT_MB: '1' } })
    const update = h.telegram.push(telegramText('Can I have my invoice?', ADA))
    await h.telegram.confirmed(update.update_id)
    await h.app.outbox.drain()
    h.telegram.sent.length = 0
    const ticket = (await findTicket(h.db, 1))!
    expect(await h.slash('/reply', String(ticket.id), AGENT)).toBe('')
    await expect.poll(() => h.slack.callsOf('views.open').length).toBe(1)
    const view = h.slack.callsOf('views.open')[0]!.view as View
    return { ticket, view }
  }

  interface View {
    callback_id: string
    private_metadata: string
    blocks: { block_id: string; optional?: boolean; element: { type: string } }[]
  }

  /** The form sent as Slack sends it: one view id per form, whatever delivers it again. */
  const submit = (view: View, text: string | null, files: Record<string, unknown>[]) => {
    const submitted = { ...view, id: 'V-reply-1' }
    return h.interact(
      viewSubmission(AGENT, submitted, {
        reply: { text: { type: 'plain_text_input', value: text } },
        files: { files: { type: 'file_input', files } },
      }),
    )
  }

  it('opens a form with words and files, and sends the files with the words as caption', async () => {
    const { ticket, view } = await openForm()
    expect(view.callback_id).toBe('td_reply_modal')
    expect(view.blocks.map((b) => [b.block_id, b.element.type, b.optional])).toEqual([
      ['reply', 'plain_text_input', true],
      ['files', 'file_input', true],
    ])
    const pdf = file(400_000, 'application/pdf', 9)
    const res = await submit(view, 'Your invoice, as promised', [h.slack.addFile('F9', 'invoice.pdf', pdf)])
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('') // the form closes
    await h.app.outbox.drain()

    expect(h.telegram.fileDeliveries).toEqual([
      {
        method: 'sendDocument',
        chatId: '7001',
        caption: 'Your invoice, as promised',
        file: {
          name: 'invoice.pdf',
          type: 'application/octet-stream',
          size: 400_000,
          sha256: fakeSha256(pdf),
        },
      },
    ])
    // The thread shows what left, files named, since no thread post carried them.
    const echo = h.slack
      .callsOf('chat.postMessage')
      .filter((p) => p.thread_ts === ticket.thread_ts)
      .map((p) => String(p.text))
      .at(-1)
    expect(echo).toBe(
      `:outbox_tray: *Reply by <@${AGENT}>, sent to the customer:*\nYour invoice, as promised\n:paperclip: invoice.pdf`,
    )
    // The same form delivered again by Slack sends nothing more.
    await submit(view, 'Your invoice, as promised', [h.slack.addFile('F9', 'invoice.pdf', pdf)])
    await h.app.outbox.drain()
    expect(h.telegram.fileDeliveries).toHaveLength(1)
  })

  it('sends files alone, without words', async () => {
    const { view } = await openForm()
    await submit(view, null, [h.slack.addFile('F1', 'screenshot.png', file(80_000, 'image/png'))])
    await h.app.outbox.drain()
    expect(h.telegram.fileDeliveries.map((d) => [d.method, d.file.name, d.caption])).toEqual([
      ['sendPhoto', 'screenshot.png', undefined],
    ])
  })

  it('keeps the form open with the reason when it is empty or a file may not leave, and sends nothing', async () => {
    const { ticket, view } = await openForm()
    const empty = await submit(view, '  ', [])
    expect(await empty.json()).toEqual({
      response_action: 'errors',
      errors: { reply: ':warning: Nothing to send: the reply is empty.' },
    })
    const big = await submit(view, 'The video', [
      h.slack.addFile('F2', 'demo.mp4', file(3 * MB, 'video/mp4')),
    ])
    expect(await big.json()).toEqual({
      response_action: 'errors',
      errors: {
        files:
          ':warning: Nothing of that message was sent: demo.mp4 is 3 MB, over the 1 MB limit (MAX_ATTACHMENT_MB).',
      },
    })
    const note = await submit(view, 'note: check the contract', [])
    expect(((await note.json()) as { errors: { reply: string } }).errors.reply).toMatch(
      /^:warning: Did you mean a note\?/,
    )
    await h.app.outbox.drain()
    expect(h.telegram.fileDeliveries).toEqual([])
    expect(h.telegram.sent).toEqual([])
    expect((await messagesOf(h.db, ticket.id)).filter((m) => m.agent_id !== null)).toEqual([])
  })

  it('answers a ticket that does not exist instead of opening the form', async () => {
    h = await startHarness({ telegram: 'polling' })
    expect(await h.slash('/reply', '404', AGENT)).toBe('')
    await expect
      .poll(() => h.slack.callsOf('chat.postEphemeral').map((p) => p.text))
      .toEqual([':warning: Ticket #404 does not exist.'])
    expect(h.slack.callsOf('views.open')).toEqual([])
  })
})
