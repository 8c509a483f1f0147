import type { z } from 'zod'
import type { SettingsPart } from '../src/config/part.js'
import type { Clock } from '../src/core/clock.js'
import type { Leadership } from '../src/core/leadership.js'
import type { Logger } from '../src/core/logger.js'
import type { Channel } from '../src/core/model.js'
import type { ChannelAdapter, WebhookRoute } from '../src/core/ports.js'
import type { DoctorCheck, DoctorContext } from './shared/doctor.js'

/**
 * How a platform writes formatted text, so an agent's Slack formatting can be turned into it:
 * - `whatsapp`: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ```` ```block``` ````, `- ` lists.
 * - `telegram`: the same marks, which the Telegram adapter sends as message entities (it has no lists).
 * - `markdown` (Discord): `**bold**`, `_italic_`, `~~strike~~`, code, `- ` lists; other marks escaped.
 * - `plain` (Instagram): no marks at all.
 */
export type Flavour = 'whatsapp' | 'telegram' | 'markdown' | 'plain'

/** What the process gives a channel when it creates the adapter. */
export interface ChannelContext {
  readonly log: Logger
  readonly clock: Clock
  /** The public base URL, when platforms can push to us. */
  readonly publicUrl: string | undefined
  /** How long one send may take. */
  readonly sendTimeoutMs: number
  /** Whether this process leads those sharing the database (only the leader polls a platform). */
  readonly leadership: Leadership
  /**
   * One object for every channel that asks under the same key (Meta's one webhook serves WhatsApp
   * and Instagram); its routes are served once.
   */
  shared<T extends { routes(): readonly WebhookRoute[] }>(key: string, make: () => T): T
}

/**
 * A customer channel, as the registry knows it: its id (stored on every ticket), the label people
 * read, how it writes text, its variables and how the adapter is made from them. `read` returns
 * undefined when the variables leave the channel off.
 */
export interface ChannelModule<
  Shape extends z.ZodRawShape = z.ZodRawShape,
  Settings = unknown,
> extends SettingsPart<Shape, Settings | undefined> {
  readonly id: Channel
  readonly label: string
  readonly flavour: Flavour
  /**
   * Builds the adapter, only for a channel that is on. Every start imports the registry whichever
   * channels are on, so the adapter and its SDK are imported here (`await import('./index.js')`),
   * never at the top of `channel.ts`: a channel that is off costs no memory and no start-up time.
   */
  create(settings: Settings, ctx: ChannelContext): ChannelAdapter | Promise<ChannelAdapter>
  /**
   * `npm run doctor`: asks the platform whether these settings work (the token is accepted, the
   * account exists…) and says how to fix what does not. It never throws for a platform that is
   * down or refuses: that is a failed check. An SDK it needs is imported inside, as in `create`.
   */
  doctor?(settings: Settings, ctx: DoctorContext): Promise<readonly DoctorCheck[]>
}

/** A channel's label, as people read it. */
export type LabelOf = (channel: Channel) => string

/** What the desk needs to know of every registered channel, on or off: old tickets keep their channel. */
export interface ChannelCatalog {
  readonly ids: readonly Channel[]
  readonly labelOf: LabelOf
  flavourOf(channel: Channel): Flavour
}

export const defineChannel = <Shape extends z.ZodRawShape, Settings>(
  module: ChannelModule<Shape, Settings>,
): ChannelModule<Shape, Settings> => module
