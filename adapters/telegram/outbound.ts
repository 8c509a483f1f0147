import { GrammyError, HttpError, InputFile, type Api } from 'grammy'
import { DeskError } from '../../src/core/errors.js'
import type { FileDownload, FileToSend, OutboundChoice, OutboundFile } from '../../src/core/ports.js'
import { CALLBACK_PREFIX } from './inbound.js'
import { download } from '../shared/download.js'
import { splitText } from '../../src/core/split-text.js'
import { toTelegramMessage } from './format.js'

/** Telegram's limit on one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096

/** A Bot API failure as a DeskError that tells the outbox whether to retry and the operator what to fix. */
export function toDeskError(method: string, error: unknown): DeskError {
  if (error instanceof GrammyError) {
    const code = error.error_code
    const what = `Telegram ${method} answered ${code}: ${error.description}`
    if (code === 429) {
      const after = error.parameters.retry_after ?? 1
      return new DeskError('rate_limited', what, { retryAfterMs: after * 1000, cause: error })
    }
    if (code === 401 || code === 404) {
      return new DeskError('rejected', `${what} (check TELEGRAM_BOT_TOKEN)`, { cause: error })
    }
    if (code === 403)
      return new DeskError('rejected', `${what} (the customer blocked the bot)`, { cause: error })
    if (code >= 500) return new DeskError('unavailable', what, { cause: error })
    return new DeskError('rejected', what, { cause: error })
  }
  if (error instanceof HttpError) {
    return new DeskError('unavailable', `Telegram ${method} could not be reached: ${error.message}`, {
      cause: error,
    })
  }
  return new DeskError('unavailable', `Telegram ${method} failed: ${String(error)}`, { cause: error })
}

/**
 * Sends text to a chat, in several messages when it is long; returns the id of the last one. Its
 * `*bold*`, `_italic_`, `~strike~` and code leave as message entities (see format.ts).
 */
export async function sendText(api: Api, chatId: string, text: string): Promise<string> {
  let lastId = ''
  for (const part of splitText(text, TELEGRAM_TEXT_LIMIT)) {
    const parsed = toTelegramMessage(part)
    // Marks around nothing (six backticks) would leave Telegram an empty message, which it refuses.
    const message = parsed.text.trim() === '' ? { text: part, entities: [] } : parsed
    try {
      const sent = await api.sendMessage(
        chatId,
        message.text,
        message.entities.length === 0 ? undefined : { entities: message.entities },
      )
      lastId = `${sent.chat.id}:${sent.message_id}`
    } catch (error) {
      throw toDeskError('sendMessage', error)
    }
  }
  return lastId
}

/** A menu: the text with one inline-keyboard button per choice, a row each; returns the message's id. */
export async function sendMenu(
  api: Api,
  chatId: string,
  text: string,
  choices: readonly OutboundChoice[],
): Promise<string> {
  const inline_keyboard = choices.map((c) => [{ text: c.label, callback_data: `${CALLBACK_PREFIX}${c.id}` }])
  try {
    const sent = await api.sendMessage(chatId, text, { reply_markup: { inline_keyboard } })
    return `${sent.chat.id}:${sent.message_id}`
  } catch (error) {
    throw toDeskError('sendMessage', error)
  }
}

/**
 * Changes a message of ours (`chat:message`) into `text`, taking its keyboard away: a menu shows
 * the choice made. A message Telegram no longer lets us edit is left as it is.
 */
export async function editText(api: Api, ref: string, text: string): Promise<string> {
  const [chat = '', id = ''] = ref.split(':')
  try {
    await api.editMessageText(chat, Number(id), text)
  } catch (error) {
    if (!(error instanceof GrammyError && error.error_code === 400))
      throw toDeskError('editMessageText', error)
  }
  return ref
}

/** Telegram's limit on a file's caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024

/** What bots may send: 50 MB of anything, photos (sent as photos) up to 10 MB. */
export const TELEGRAM_FILE_LIMITS = {
  image: 50 * 1024 * 1024,
  video: 50 * 1024 * 1024,
  audio: 50 * 1024 * 1024,
  document: 50 * 1024 * 1024,
} as const

const PHOTO_MAX = 10 * 1024 * 1024

/** Bots may download files up to 20 MB through getFile. */
export const TELEGRAM_DOWNLOAD_MAX = 20 * 1024 * 1024

type FileMethod = 'sendPhoto' | 'sendAnimation' | 'sendVideo' | 'sendVoice' | 'sendAudio' | 'sendDocument'

/**
 * The Bot API method that shows a file as what it is: a photo, a voice note that plays, a video;
 * anything Telegram would not show that way leaves as a document.
 */
export function fileMethod(file: Pick<FileToSend, 'kind' | 'mimeType' | 'size'>): FileMethod {
  const { mimeType } = file
  if (mimeType === 'image/gif') return 'sendAnimation'
  if (/^image\/(jpeg|png|webp)$/.test(mimeType) && file.size <= PHOTO_MAX) return 'sendPhoto'
  if (mimeType === 'video/mp4') return 'sendVideo'
  if (file.kind === 'voice' && /^audio\/(ogg|mpeg|mp4)$/.test(mimeType)) return 'sendVoice'
  if (/^audio\/(mpeg|mp4|m4a|x-m4a)$/.test(mimeType)) return 'sendAudio'
  return 'sendDocument'
}

/**
 * Sends a file to a chat, streamed from disk, with its caption (marks as entities); returns the
 * message's id.
 */
export async function sendFile(api: Api, msg: OutboundFile, signal: AbortSignal): Promise<string> {
  const { file } = msg
  const method = fileMethod(file)
  const input = new InputFile(file.path, file.name)
  const parsed = msg.caption === '' ? undefined : toTelegramMessage(msg.caption)
  const caption =
    parsed === undefined
      ? {}
      : parsed.entities.length === 0
        ? { caption: parsed.text }
        : { caption: parsed.text, caption_entities: parsed.entities }
  try {
    const sent = await api[method](msg.to, input, caption, signal as Parameters<Api['getFile']>[1])
    return `${sent.chat.id}:${sent.message_id}`
  } catch (error) {
    throw toDeskError(method, error)
  }
}

/**
 * Starts the download of a file a customer sent: getFile for its path, then the file itself from
 * `{apiRoot}/file/bot{token}/{path}`. Telegram's own servers let bots fetch files up to 20 MB
 * (`maxBytes`); a self-hosted Bot API server has no such limit.
 */
export async function fetchFile(
  api: Api,
  where: { readonly token: string; readonly apiRoot: string; readonly maxBytes: number | undefined },
  fileId: string,
  signal: AbortSignal,
): Promise<FileDownload> {
  let path: string | undefined
  let size: number | undefined
  try {
    const file = await api.getFile(fileId, signal as Parameters<Api['getFile']>[1])
    path = file.file_path
    size = file.file_size
  } catch (error) {
    const e = toDeskError('getFile', error)
    if (error instanceof GrammyError && /too big/i.test(error.description))
      throw new DeskError('rejected', 'Telegram lets bots fetch files up to 20 MB', { cause: error })
    throw e
  }
  if (path === undefined) throw new DeskError('not_found', 'Telegram has no path for the file: it is gone')
  if (size !== undefined && where.maxBytes !== undefined && size > where.maxBytes)
    throw new DeskError('rejected', 'Telegram lets bots fetch files up to 20 MB')
  // The token is in the path: this URL is never logged.
  return download('Telegram file download', `${where.apiRoot}/file/bot${where.token}/${path}`, {}, signal)
}
