import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt'
import type { Access } from '../../src/core/access.js'
import type { Logger } from '../../src/core/logger.js'
import type { ThreadRef } from '../../src/core/ports.js'
import { call } from './errors.js'

export const REFUSAL =
  "Sorry, only the support team's agents can work tickets here, so nothing was done or sent. An admin can add you with `/agents add @you`."

interface Acting {
  readonly user: string
  /** Where to answer privately, when the request says. */
  readonly channel?: string | undefined
  readonly threadTs?: string | undefined
  readonly door: 'thread' | 'command' | 'action' | 'shortcut' | 'view'
}

type Body = Record<string, unknown> & {
  type?: string
  command?: string
  user_id?: string
  channel_id?: string
  user?: { id?: string }
  channel?: { id?: string }
  event?: Record<string, unknown>
}

/** A thread reply someone typed (or a file they shared) in a thread: the only message that can act. */
function threadMessage(event: Record<string, unknown>): { user: string; thread: ThreadRef } | undefined {
  const { subtype, user, thread_ts: threadTs, ts, channel, bot_id: botId } = event
  if (subtype !== undefined && subtype !== 'file_share' && subtype !== 'thread_broadcast') return undefined
  if (typeof user !== 'string' || typeof threadTs !== 'string' || typeof channel !== 'string')
    return undefined
  if (threadTs === ts || botId !== undefined) return undefined
  return { user, thread: { channel, ts: threadTs } }
}

async function acting(
  body: Body,
  isTicketThread: (t: ThreadRef) => Promise<boolean>,
): Promise<Acting | undefined> {
  if (typeof body.command === 'string' && typeof body.user_id === 'string') {
    return { user: body.user_id, channel: body.channel_id, door: 'command' }
  }
  if (body.type === 'event_callback' && body.event !== undefined) {
    // Of all events, only a message typed in a ticket's thread acts on anything.
    if (body.event.type !== 'message') return undefined
    const message = threadMessage(body.event)
    if (message === undefined || !(await isTicketThread(message.thread))) return undefined
    return {
      user: message.user,
      channel: message.thread.channel,
      threadTs: message.thread.ts,
      door: 'thread',
    }
  }
  const user = body.user?.id
  if (typeof user !== 'string') return undefined
  const door = body.type === 'block_actions' ? 'action' : body.type === 'message_action' ? 'shortcut' : 'view'
  return { user, channel: body.channel?.id, door }
}

/**
 * Every door checks who is acting before anything runs: agents go on, everyone else (people the
 * desk does not know, guests and external users it was not told about, removed agents) gets one
 * private, polite answer, and nothing is stored or sent.
 */
export function accessGuard(deps: {
  access: Access
  isTicketThread: (thread: ThreadRef) => Promise<boolean>
  log: Logger
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Body
    const who = await acting(body, deps.isTicketThread)
    if (who === undefined) {
      // A command or an interaction always names who acts: one that does not is refused, not let by.
      const faceless =
        typeof body.command === 'string' || (body.type !== undefined && body.type !== 'event_callback')
      if (!faceless) return args.next()
      deps.log.warn({ type: body.type ?? body.command }, 'refused a request that names no one')
      await (args as { ack?: (response?: unknown) => Promise<void> }).ack?.()
      return
    }
    const verdict = await deps.access.check(who.user)
    if (verdict.ok) return args.next()
    deps.log.info(
      { user: who.user, door: who.door, reason: verdict.reason },
      'refused someone who is not an agent',
    )
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack
    if (who.door === 'command') {
      await ack?.({ response_type: 'ephemeral', text: REFUSAL })
      return
    }
    await ack?.()
    if (who.channel === undefined) return
    await call('chat.postEphemeral', () =>
      args.client.chat.postEphemeral({
        channel: who.channel!,
        user: who.user,
        text: REFUSAL,
        ...(who.threadTs !== undefined && { thread_ts: who.threadTs }),
      }),
    ).catch((error: unknown) => deps.log.warn({ err: error }, 'could not answer someone who is not an agent'))
  }
}
