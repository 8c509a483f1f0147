import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { failed, passed, type DoctorCheck } from '../shared/doctor.js'

const can = (path: string, mode: number): Promise<boolean> =>
  access(path, mode).then(
    () => true,
    () => false,
  )

const kindOf = (path: string): Promise<'file' | 'dir' | 'other' | undefined> =>
  stat(path).then(
    (s) => (s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other'),
    () => undefined,
  )

async function checkBrowser(path: string): Promise<DoctorCheck> {
  const fix =
    'install Chromium (apt-get install chromium) and set CHROMIUM_PATH to its program, e.g. /usr/bin/chromium'
  const kind = await kindOf(path)
  if (kind === undefined) return failed(`WhatsApp Web: CHROMIUM_PATH ${path} does not exist`, fix)
  if (kind !== 'file') return failed(`WhatsApp Web: CHROMIUM_PATH ${path} is not a file`, fix)
  if (!(await can(path, constants.X_OK)))
    return failed(
      `WhatsApp Web: CHROMIUM_PATH ${path} is not executable`,
      `make it executable (chmod +x ${path}) or point CHROMIUM_PATH at the browser's program`,
    )
  return passed(`WhatsApp Web: browser ${path} is executable`)
}

/** The session folder, or the nearest folder above it that exists (start-up creates the rest). */
async function checkSessionDir(dir: string): Promise<DoctorCheck> {
  const fix = `make ${dir} writable by the user that runs threaddesk, or set WHATSAPP_WEB_SESSION_DIR elsewhere`
  let existing = resolve(dir)
  while ((await kindOf(existing)) === undefined && dirname(existing) !== existing)
    existing = dirname(existing)
  const kind = await kindOf(existing)
  if (existing === resolve(dir) && kind !== 'dir')
    return failed(`WhatsApp Web: WHATSAPP_WEB_SESSION_DIR ${dir} is not a folder`, fix)
  if (kind !== 'dir') return failed(`WhatsApp Web: ${existing} is not a folder`, fix)
  if (!(await can(existing, constants.W_OK)))
    return failed(`WhatsApp Web: session folder ${dir} is not writable (${existing})`, fix)
  return passed(
    existing === resolve(dir)
      ? `WhatsApp Web: session folder ${dir} is writable`
      : `WhatsApp Web: session folder ${dir} can be created`,
  )
}

/** The browser whatsapp-web.js drives, and the folder LocalAuth keeps the paired session in. */
export async function checkWhatsAppWeb(settings: {
  readonly chromiumPath: string
  readonly sessionDir: string
}): Promise<readonly DoctorCheck[]> {
  return [await checkBrowser(settings.chromiumPath), await checkSessionDir(settings.sessionDir)]
}
