import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sweepKeptFiles } from '../../src/core/file-retention.js'
import { createHelpDesk } from '../../src/core/helpdesk.js'
import { defaultTexts } from '../../src/core/texts.js'
import type { Db } from '../../src/db/connection.js'
import { attachmentsOfTicket, markAttachmentDelivered } from '../../src/db/repos/attachments.js'
import { manualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'
import { testLog } from '../helpers/log.js'

describe('kept files past ATTACHMENT_KEEP_DAYS', () => {
  let db: Db
  let dir: string
  const clock = manualClock()
  beforeEach(async () => {
    db = await memoryDb()
    dir = mkdtempSync(join(tmpdir(), 'threaddesk-kept-'))
  })
  afterEach(async () => {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  it('lose their bytes, and keep their facts', async () => {
    const desk = createHelpDesk({ db, clock, texts: defaultTexts })
    const file = (ref: string) => ({
      kind: 'photo' as const,
      ref,
      name: `${ref}.jpg`,
      mimeType: 'image/jpeg',
    })
    const { ticketId } = await desk.receive(inbound('two photos', { files: [file('old'), file('new')] }))
    const [older, newer] = await attachmentsOfTicket(db, ticketId!)
    for (const [a, at] of [
      [older!, '2026-11-01T09:00:00.000Z'],
      [newer!, '2026-11-20T09:00:00.000Z'],
    ] as const) {
      const path = join(dir, `${a.id}-${a.name}`)
      writeFileSync(path, 'bytes')
      await markAttachmentDelivered(db, a.id, { size: 5, sha256: 'ab'.repeat(32), storedPath: path }, at)
    }

    expect(await sweepKeptFiles({ db, clock, log: testLog() }, 7)).toBe(1)
    const [swept, kept] = await attachmentsOfTicket(db, ticketId!)
    expect(swept).toMatchObject({ stored_path: null, size: 5, sha256: 'ab'.repeat(32), status: 'delivered' })
    expect(existsSync(join(dir, `${older!.id}-old.jpg`))).toBe(false)
    expect(kept?.stored_path).toBe(join(dir, `${newer!.id}-new.jpg`))
    expect(existsSync(kept!.stored_path!)).toBe(true)
    // Nothing more is due: a second sweep deletes nothing.
    expect(await sweepKeptFiles({ db, clock, log: testLog() }, 7)).toBe(0)
  })
})
