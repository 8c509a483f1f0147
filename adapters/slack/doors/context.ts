import type { App } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import { isDeskError } from '../../../src/core/errors.js'
import type { HelpDesk } from '../../../src/core/helpdesk.js'
import type { Logger } from '../../../src/core/logger.js'
import type { Clock } from '../../../src/core/clock.js'
import type { BusinessHours } from '../../../src/core/hours.js'
import type { TicketFields } from '../../../src/core/ticket-fields.js'
import type { ContactActions } from '../../../src/core/contact-actions.js'
import type { IntakeQuestions } from '../../../src/core/intake-questions.js'
import type { CannedReplies } from '../../../src/core/canned.js'
import type { OutboxControl } from '../../../src/core/outbox-report.js'
import type { Agents } from '../../../src/core/agents.js'
import type { ApiKeys } from '../../../src/core/api-keys.js'
import type { Webhooks } from '../../../src/core/webhooks.js'
import type { Rules } from '../../../src/core/rules.js'
import type { ReplyTemplates } from '../../../src/core/templates.js'
import type { TicketQueries } from '../../../src/core/ticket-query.js'
import type { Bulk } from '../../../src/core/bulk.js'
import type { Reports } from '../../../src/core/report.js'
import type { Home } from '../../../src/core/home.js'
import type { Channel } from '../../../src/core/model.js'
import type { Core } from '../commands.js'
import { refusalText } from '../answers.js'
import { call } from '../errors.js'
import type { ReplyMode } from '../classify.js'
import type { ChannelCatalog } from '../../channel-module.js'
import { createFollowUps, type FollowUps } from '../follow-ups.js'

/** The core services and settings every door of the Slack desk acts through. */
export interface ListenerDeps {
  readonly queries: TicketQueries
  readonly rules: Rules
  readonly templates: ReplyTemplates
  readonly bulk: Bulk
  /** The desk's figures over a period, and posting them with their charts. */
  readonly reports: Reports
  /** What App Home shows each person. */
  readonly home: Home
  readonly helpdesk: HelpDesk
  readonly fields: TicketFields
  /** Blocking, unblocking and letting in a ticket's contact. */
  readonly contacts: ContactActions
  /** The questions asked after a customer picks a ticket type (/intake). */
  readonly intakeQuestions: IntakeQuestions
  readonly canned: CannedReplies
  readonly agents: Agents
  /** The HTTP API's keys. */
  readonly apiKeys: ApiKeys
  /** The endpoints outgoing webhooks go to. */
  readonly webhooks: Webhooks
  readonly outbox: OutboxControl
  readonly hours: BusinessHours
  readonly clock: Clock
  /** The markers that keep a thread message private (see classify.ts). */
  readonly noteMarkers: readonly string[]
  /** Per channel of the ticket: whether a plain thread message goes to the customer. */
  readonly replyModes: Readonly<Record<Channel, ReplyMode>>
  /** Every registered customer channel: labels and how each writes text. */
  readonly channels: ChannelCatalog
  readonly log: Logger
}

/** Where an ephemeral answer goes: to one agent, in a channel, in a thread when given. */
export interface AgentTarget {
  readonly channel: string
  readonly user: string
  readonly threadTs?: string
}

/** The parts of a button or picker payload that say who acted and where. */
export interface ActorBody {
  readonly channel?: { readonly id: string }
  readonly user: { readonly id: string }
}

/**
 * What all doors share, built once per app: the deps, the command core, and how to answer.
 * Its functions are properties, not methods, so a door may destructure them.
 */
export interface DoorContext extends ListenerDeps {
  /** The services the command table (commands.ts) runs on. */
  readonly core: Core
  /** An agent's name as customers should see it, from Slack's profile (cached; 'our team' if unreadable). */
  readonly agentName: (deskUserId: string) => Promise<string>
  /** What to tell the agent when an action failed: our own refusals verbatim, anything else logged. */
  readonly failureText: (error: unknown) => string | undefined
  /** Runs an action and returns what to tell the agent, its failure included. */
  readonly attempt: (work: () => Promise<string>) => Promise<string | undefined>
  /** The one way to answer an agent: ephemerally, never failing the listener. Nothing when no text. */
  readonly tellAgent: (client: WebClient, target: AgentTarget, text?: string) => Promise<void>
  /** Answers the agent who pressed a button or picked an option, in the channel where they did. */
  readonly tellActor: (client: WebClient, body: ActorBody, text: string | undefined) => Promise<void>
  /** Work left for after Slack has its answer (a report's charts). */
  readonly followUps: FollowUps
}

/** Builds the shared context once, so every door sees the same name cache. */
export function createDoorContext(app: App, deps: ListenerDeps): DoorContext {
  const { log } = deps
  const names = new Map<string, string>()

  async function agentName(deskUserId: string): Promise<string> {
    const known = names.get(deskUserId)
    if (known !== undefined) return known
    const info = await call('users.info', () => app.client.users.info({ user: deskUserId })).catch(
      () => undefined,
    )
    const profile = info?.user?.profile
    const name = profile?.display_name || profile?.real_name || info?.user?.real_name || info?.user?.name
    // Not cached: the profile may be readable on the next try.
    if (name === undefined || name === '') return 'our team'
    names.set(deskUserId, name)
    return name
  }

  function failureText(error: unknown): string | undefined {
    // A duplicate is an event Slack sent again: it was answered the first time.
    if (isDeskError(error)) return error.code === 'duplicate' ? undefined : `:warning: ${refusalText(error)}`
    log.error({ err: error }, 'slack action failed')
    return ':x: Something went wrong on our side and nothing was changed. Please try again.'
  }

  async function attempt(work: () => Promise<string>): Promise<string | undefined> {
    try {
      return await work()
    } catch (error) {
      return failureText(error)
    }
  }

  async function tellAgent(client: WebClient, target: AgentTarget, text?: string): Promise<void> {
    if (text === undefined) return
    // The action already happened; an answer that cannot be posted must not fail it.
    await call('chat.postEphemeral', () =>
      client.chat.postEphemeral({
        channel: target.channel,
        user: target.user,
        text,
        ...(target.threadTs !== undefined && { thread_ts: target.threadTs }),
      }),
    ).catch((error: unknown) => log.warn({ err: error }, 'could not answer the agent'))
  }

  async function tellActor(client: WebClient, body: ActorBody, text: string | undefined): Promise<void> {
    if (body.channel !== undefined)
      await tellAgent(client, { channel: body.channel.id, user: body.user.id }, text)
  }

  const core: Core = {
    helpdesk: deps.helpdesk,
    fields: deps.fields,
    contacts: deps.contacts,
    canned: deps.canned,
    agentName,
    noteMarkers: deps.noteMarkers,
    channels: deps.channels,
  }
  return {
    ...deps,
    core,
    agentName,
    failureText,
    attempt,
    tellAgent,
    tellActor,
    followUps: createFollowUps(log),
  }
}
