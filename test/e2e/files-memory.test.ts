import v8 from 'node:v8'
import vm from 'node:vm'
import { afterEach, describe, expect, it } from 'vitest'
import { fakeSha256 } from '../fakes/files.js'
import { telegramText } from '../fakes/telegram-api.js'
import { startHarness, type Harness } from '../helpers/harness.js'

const MB = 1024 * 1024

/**
 * The bytes the process holds in buffers after a full collection: where a file's bytes sit while
 * they pass through. Without a collection, freed chunks of a stream linger until the next one and
 * say nothing about what the code keeps; RSS, likewise, keeps pages the allocator has not handed
 * back, and the heap moves with everything else the desk does meanwhile.
 */
function heldMemory(): number {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  // The second collection finishes what the first left to sweep: the buffers freed just before.
  gc()
  gc()
  return process.memoryUsage().arrayBuffers
}

describe('a large file on its way', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  async function customerSendsDocument(fileId: string, size: number) {
    const message: Record<string, unknown> = telegramText('', { id: 7001, first_name: 'Ada' })
    delete message.text
    const update = h.telegram.push({
      ...message,
      document: {
        file_id: fileId,
        file_name: `${fileId}.pdf`,
        mime_type: 'application/pdf',
        file_size: size,
      },
    })
    await h.telegram.confirmed(update.update_id)
  }

  it(
    'is streamed: 50 MB from Telegram into Slack never holds more than a few MB',
    { timeout: 60_000 },
    async () => {
      // A self-hosted Bot API server (TELEGRAM_API_ROOT) serves files larger than Telegram's own 20 MB.
      h = await startHarness({ telegram: 'polling', env: { MAX_ATTACHMENT_MB: '60' } })
      const small = { size: 1 * MB, mimeType: 'application/pdf', seed: 2 }
      const large = { size: 50 * MB, mimeType: 'application/pdf', seed: 7 }
      h.telegram.addFile('warm-up', small)
      h.telegram.addFile('large', large)
      // The first file warms every path up, so what the second costs is the file itself.
      await customerSendsDocument('warm-up', small.size)
      await h.app.outbox.drain()

      await customerSendsDocument('large', large.size)
      const idle = heldMemory()
      let peak = idle
      const sampler = setInterval(() => (peak = Math.max(peak, heldMemory())), 500)
      try {
        await h.app.outbox.drain()
      } finally {
        clearInterval(sampler)
      }

      expect(h.slack.uploads.at(-1)).toMatchObject({ size: large.size, sha256: fakeSha256(large) })
      // Held whole, the file would add 50 MB; streamed, a few chunks in flight.
      expect((peak - idle) / MB).toBeLessThan(4)
    },
  )
})
