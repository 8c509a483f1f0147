import type { ServerResponse } from 'node:http'
import { json, listen, readParams } from './http.js'
import { readMultipart, serveFile, type FakeFile, type ReceivedFile } from './files.js'

export interface TelegramUpdate {
  update_id: number
  message?: Record<string, unknown>
  callback_query?: Record<string, unknown>
}

export type TelegramFailure = { error_code: number; description: string; retry_after?: number }

/** A sendMessage the fake accepted: the customer has it. */
export interface TelegramDelivery {
  readonly chatId: string
  readonly text: string
  /** When the fake accepted it (ms since the epoch). */
  readonly at: number
  /** Which caller sent it, when it came through `viaUrl(tag)`. */
  readonly by?: string
}

/** A call the fake received. */
export interface TelegramCall {
  readonly method: string
  readonly args: Record<string, unknown>
  readonly at: number
  /** Which caller made it, when it came through `viaUrl(tag)`. */
  readonly by?: string
}

/** A long poll that Telegram ended with 409 because another getUpdates came while it waited. */
export interface TelegramConflict {
  readonly at: number
  /** The caller whose waiting getUpdates was ended, and the caller of the one that ended it. */
  readonly ended?: string
  readonly by?: string
}

/** Telegram's answer to a getUpdates that another one overtook. */
const CONFLICT = {
  ok: false,
  error_code: 409,
  description:
    'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
}

/** A file a bot sent (sendPhoto, sendVoice, sendDocument…): what the customer received. */
export interface TelegramFileDelivery {
  readonly method: string
  readonly chatId: string
  readonly caption: string | undefined
  readonly file: ReceivedFile
}

/**
 * A loopback Telegram Bot API: long polling that honours `offset` and `timeout`, webhook
 * settings, and sendMessage, which it records. Calls can be made to fail as Telegram fails.
 * As Telegram, it serves one poller at a time: a getUpdates that arrives while another waits ends
 * the waiting one with 409 Conflict. Callers that reach it through `viaUrl(tag)` are told apart
 * in what it records (`by`), so a test sees which process made each call.
 */
export async function startFakeTelegram(token: string) {
  const pending: TelegramUpdate[] = []
  const sent: Record<string, unknown>[] = []
  const calls: TelegramCall[] = []
  const conflicts: TelegramConflict[] = []
  /** The getUpdates waiting for news now, if any: who made it, and how to end it with 409. */
  let waiting: { readonly by: string | undefined; readonly overtake: () => void } | undefined
  const failures = new Map<string, TelegramFailure[]>()
  const waiters = new Set<() => void>()
  const deliveries: TelegramDelivery[] = []
  const sendHooks = new Set<(delivery: TelegramDelivery) => void>()
  const batchHooks = new Set<(updateIds: number[]) => void>()
  const confirmHooks = new Set<(updateIds: number[]) => void>()
  /** The highest update id a getUpdates offset confirmed so far. */
  let confirmedUpTo = 0
  /** Chats whose sendMessage never answers, with the requests held open for each. */
  const hung = new Map<string, Set<ServerResponse>>()
  /** What getWebhookInfo answers; setWebhook and deleteWebhook change its url. */
  let webhook: Record<string, unknown> = { url: '' }
  let nextUpdateId = 1000
  let messageId = 500
  /** Files customers sent, by file id: getFile answers their path, /file/ serves them. */
  const files = new Map<string, FakeFile>()
  const fileDeliveries: TelegramFileDelivery[] = []
  /** The messages sendMessage made (`chat:message`), which editMessageText may change. */
  const sentIds = new Set<string>()
  const edits: { ref: string; text: string }[] = []
  let commands: unknown

  function queue(update: TelegramUpdate): TelegramUpdate {
    pending.push(update)
    for (const wake of [...waiters]) wake()
    return update
  }

  const server = await listen(async (req, res) => {
    // A caller known by a tag reaches the API under /via/TAG (its api root), files included.
    const via = /^\/via\/([\w.-]+)(\/.*)$/.exec(req.url ?? '')
    const by = via?.[1]
    const path = via?.[2] ?? req.url ?? ''
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(path)
    if (download !== null) {
      const file = download[1] === token ? files.get(decodeURIComponent(download[2] ?? '')) : undefined
      if (file === undefined) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' })
      return serveFile(res, file)
    }
    const match = /^\/bot([^/]+)\/(\w+)/.exec(path)
    if (match?.[1] !== token)
      return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' })
    const method = match[2] ?? ''
    const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data')
    const form = multipart ? await readMultipart(req) : undefined
    const args: Record<string, unknown> = form === undefined ? await readParams(req) : form.fields
    calls.push({ method, args, at: Date.now(), ...(by !== undefined && { by }) })
    const failure = failures.get(method)?.shift()
    if (failure !== undefined) {
      const { retry_after, ...rest } = failure
      return json(res, failure.error_code, {
        ok: false,
        ...rest,
        ...(retry_after && { parameters: { retry_after } }),
      })
    }
    switch (method) {
      case 'getMe':
        return json(res, 200, {
          ok: true,
          result: { id: 42, is_bot: true, first_name: 'Support', username: 'acme_support_bot' },
        })
      case 'deleteWebhook':
        webhook = { url: '' }
        return json(res, 200, { ok: true, result: true })
      case 'setWebhook':
        webhook = { url: String(args.url) }
        return json(res, 200, { ok: true, result: true })
      case 'getWebhookInfo':
        return json(res, 200, {
          ok: true,
          result: { has_custom_certificate: false, pending_update_count: pending.length, ...webhook },
        })
      case 'getUpdates': {
        // Telegram serves one poller: this request ends the one still waiting, which gets 409.
        if (waiting !== undefined) {
          conflicts.push({
            at: Date.now(),
            ...(waiting.by !== undefined && { ended: waiting.by }),
            ...(by !== undefined && { by }),
          })
          waiting.overtake()
        }
        const offset = Number(args.offset ?? 0)
        const timeout = Number(args.timeout ?? 0)
        const take = () => {
          // Updates below the offset are confirmed: Telegram forgets them.
          const confirmed: number[] = []
          while (pending.length > 0 && (pending[0]?.update_id ?? 0) < offset)
            confirmed.push(pending.shift()?.update_id ?? 0)
          confirmedUpTo = Math.max(confirmedUpTo, ...confirmed)
          if (confirmed.length > 0) for (const hook of confirmHooks) hook(confirmed)
          return pending.slice(0, Number(args.limit ?? 100))
        }
        let batch = take()
        if (batch.length === 0 && timeout > 0) {
          let overtaken = false
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer)
              waiters.delete(done)
              if (waiting === me) waiting = undefined
              resolve()
            }
            const me = {
              by,
              overtake: () => {
                overtaken = true
                done()
              },
            }
            const timer = setTimeout(done, timeout * 1000)
            waiters.add(done)
            waiting = me
            // The poller went away (it gave up, or its process died): it no longer waits.
            res.once('close', done)
          })
          if (overtaken) return json(res, 409, CONFLICT)
          if (res.destroyed) return
          batch = take()
        }
        json(res, 200, { ok: true, result: batch })
        if (batch.length > 0) for (const hook of batchHooks) hook(batch.map((u) => u.update_id))
        return
      }
      case 'setMyCommands':
        commands = args.commands
        return json(res, 200, { ok: true, result: true })
      case 'answerCallbackQuery':
      case 'editMessageReplyMarkup':
        return json(res, 200, { ok: true, result: true })
      case 'editMessageText': {
        const key = `${String(args.chat_id)}:${String(args.message_id)}`
        if (!sentIds.has(key))
          return json(res, 400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: message to edit not found',
          })
        edits.push({ ref: key, text: String(args.text) })
        return json(res, 200, {
          ok: true,
          result: {
            message_id: Number(args.message_id),
            date: 1795424400,
            chat: { id: Number(args.chat_id), type: 'private' },
            text: args.text,
          },
        })
      }
      case 'getFile': {
        const file = files.get(String(args.file_id))
        if (file === undefined)
          return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' })
        return json(res, 200, {
          ok: true,
          result: {
            file_id: args.file_id,
            file_unique_id: `u-${String(args.file_id)}`,
            file_size: file.size,
            file_path: String(args.file_id),
          },
        })
      }
      case 'sendPhoto':
      case 'sendVideo':
      case 'sendVoice':
      case 'sendAudio':
      case 'sendAnimation':
      case 'sendDocument': {
        const field = method.slice(4).toLowerCase()
        // grammY names the file part itself and points at it: `photo=attach://<part>`.
        const pointer = typeof args[field] === 'string' ? args[field] : ''
        const file = form?.files[pointer.startsWith('attach://') ? pointer.slice(9) : field]
        if (file === undefined)
          return json(res, 400, {
            ok: false,
            error_code: 400,
            description: `Bad Request: there is no ${field} in the request`,
          })
        fileDeliveries.push({
          method,
          chatId: String(args.chat_id),
          caption: typeof args.caption === 'string' ? args.caption : undefined,
          file,
        })
        return json(res, 200, {
          ok: true,
          result: {
            message_id: ++messageId,
            date: 1795424400,
            chat: { id: Number(args.chat_id), type: 'private' },
          },
        })
      }
      case 'sendMessage': {
        const held = hung.get(String(args.chat_id))
        if (held !== undefined) {
          // A target that never answers: the request stays open until the caller gives up or we let go.
          held.add(res)
          res.once('close', () => held.delete(res))
          return
        }
        sent.push(args)
        const delivery: TelegramDelivery = {
          chatId: String(args.chat_id),
          text: String(args.text),
          at: Date.now(),
          ...(by !== undefined && { by }),
        }
        deliveries.push(delivery)
        // Before the answer leaves: a hook may stop the caller between the send and its bookkeeping.
        for (const hook of sendHooks) hook(delivery)
        const chatId = Number(args.chat_id)
        sentIds.add(`${chatId}:${messageId + 1}`)
        return json(res, 200, {
          ok: true,
          result: {
            message_id: ++messageId,
            date: 1795424400,
            chat: { id: chatId, type: 'private' },
            text: args.text,
          },
        })
      }
      default:
        return json(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' })
    }
  })

  return {
    ...server,
    sent,
    calls,
    /** Every waiting getUpdates another one ended with 409: two pollers at once. */
    conflicts,
    /** The API root for one caller: its calls are recorded with `by: tag`. */
    viaUrl: (tag: string): string => `${server.url}/via/${tag}`,
    /** Files the bot sent, as the customer received them. */
    fileDeliveries,
    /** A file a customer sent, fetched with getFile and then from /file/. */
    addFile(fileId: string, file: FakeFile) {
      files.set(fileId, file)
    },
    /** The download link of a file expires: getFile still names it, the download answers 404. */
    expireFile(fileId: string) {
      const file = files.get(fileId)
      if (file !== undefined) file.expired = true
    },
    /** Queues an update for getUpdates and wakes a waiting long poll. */
    push(message: Record<string, unknown>): TelegramUpdate {
      return queue({ update_id: ++nextUpdateId, message })
    },
    /** A customer's tap on an inline keyboard button, as Telegram sends it. */
    tap(query: Record<string, unknown>): TelegramUpdate {
      return queue({ update_id: ++nextUpdateId, callback_query: query })
    },
    /** Messages the bot changed with editMessageText, as the customer now sees them. */
    edits,
    /** What setMyCommands registered last. */
    commands: () => commands,
    /** Sets what getWebhookInfo answers (`url`, `last_error_date`, `last_error_message`), as if set elsewhere. */
    setWebhookInfo(info: { url: string } & Record<string, unknown>) {
      webhook = info
    },
    failNext(method: string, ...answers: TelegramFailure[]) {
      failures.set(method, [...(failures.get(method) ?? []), ...answers])
    },
    /** Accepted sendMessage calls with when they were accepted, in order. */
    deliveries,
    /** sendMessage to this chat never answers (nothing is delivered) until `release`. */
    hang(chatId: string | number) {
      hung.set(String(chatId), hung.get(String(chatId)) ?? new Set())
    },
    /** Ends a hang: requests still held are cut off undelivered, later ones are answered. */
    release(chatId: string | number) {
      for (const res of hung.get(String(chatId)) ?? []) res.destroy()
      hung.delete(String(chatId))
    },
    /** Calls `hook` for every accepted sendMessage, before it is answered; returns its remover. */
    onSend(hook: (delivery: TelegramDelivery) => void): () => void {
      sendHooks.add(hook)
      return () => sendHooks.delete(hook)
    },
    /** Calls `hook` right after getUpdates answered with updates; returns its remover. */
    onBatch(hook: (updateIds: number[]) => void): () => void {
      batchHooks.add(hook)
      return () => batchHooks.delete(hook)
    },
    /** Calls `hook` when a getUpdates offset confirms updates (Telegram forgets them); returns its remover. */
    onConfirm(hook: (updateIds: number[]) => void): () => void {
      confirmHooks.add(hook)
      return () => confirmHooks.delete(hook)
    },
    /**
     * Resolves once a getUpdates offset confirms `updateId`. A bot confirms an update only when it is
     * done with it, so this is the moment a polled message is stored (or skipped for good).
     */
    confirmed(updateId: number): Promise<void> {
      if (updateId <= confirmedUpTo) return Promise.resolve()
      return new Promise((resolve) => {
        const hook = () => {
          if (updateId > confirmedUpTo) return
          confirmHooks.delete(hook)
          resolve()
        }
        confirmHooks.add(hook)
      })
    },
  }
}
export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>

let nextMessageId = 1
/** A private-chat text message as Telegram sends it. */
export function telegramText(
  text: string,
  from: { id: number; first_name: string; username?: string } = { id: 7001, first_name: 'Ada' },
) {
  return {
    message_id: nextMessageId++,
    date: 1795424400,
    chat: { id: from.id, type: 'private', first_name: from.first_name },
    from: { ...from, is_bot: false, language_code: 'en' },
    text,
  }
}
