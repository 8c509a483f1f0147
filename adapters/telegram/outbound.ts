import { GrammyError, HttpError, type Api } from 'grammy'
import { DeskError } from '../../src/core/errors.js'
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
