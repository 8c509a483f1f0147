import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createWhatsAppWebClient } from '../../../adapters/whatsapp-web/client.js'

describe('the real whatsapp-web.js client', () => {
  it('is built with LocalAuth in the session folder and the configured browser, without starting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wweb-'))
    try {
      const client = (await createWhatsAppWebClient({
        sessionDir: dir,
        chromiumPath: '/usr/bin/chromium',
      })) as unknown as {
        options: { puppeteer: { executablePath: string; headless: boolean }; qrMaxRetries: number }
        authStrategy: { dataPath: string }
      }
      expect(client.options.puppeteer).toMatchObject({ executablePath: '/usr/bin/chromium', headless: true })
      expect(client.options.qrMaxRetries).toBe(5)
      expect(client.authStrategy.dataPath).toBe(dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
