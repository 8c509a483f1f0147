import type { Channel } from '../src/core/model.js'
import type { ChannelAdapter, WebhookRoute } from '../src/core/ports.js'
import type { ChannelCatalog, ChannelContext, ChannelModule } from './channel-module.js'
import type { DoctorCheck, DoctorContext } from './shared/doctor.js'
import { discord } from './discord/channel.js'
import { instagram } from './instagram/channel.js'
import { telegram } from './telegram/channel.js'
import { whatsappCloud } from './whatsapp-cloud/channel.js'
import { whatsappWeb } from './whatsapp-web/channel.js'

/** Every customer channel threaddesk knows: one line per platform. */
export const CHANNEL_MODULES: readonly ChannelModule[] = [
  telegram,
  whatsappWeb,
  whatsappCloud,
  instagram,
  discord,
]

/** A channel the configuration turns on, with its settings read. */
export interface EnabledChannel {
  readonly id: Channel
  readonly settings: unknown
  /** Imports the channel's adapter and SDK, and builds it. */
  create(ctx: ChannelContext): Promise<ChannelAdapter>
  /** Its checks for `npm run doctor`, when the module has any. */
  readonly doctor: ((ctx: DoctorContext) => Promise<readonly DoctorCheck[]>) | undefined
}

/** The channels whose variables turn them on; each module reads its own. */
export function enabledChannels(
  modules: readonly ChannelModule[],
  read: (module: ChannelModule) => unknown,
): EnabledChannel[] {
  return modules.flatMap((module) => {
    const settings = read(module)
    if (settings === undefined) return []
    const doctor = module.doctor?.bind(module)
    return [
      {
        id: module.id,
        settings,
        create: (ctx) => Promise.resolve(module.create(settings, ctx)),
        doctor: doctor && ((ctx) => doctor(settings, ctx)),
      },
    ]
  })
}

export function channelCatalog(modules: readonly ChannelModule[]): ChannelCatalog {
  const byId = new Map(modules.map((m) => [m.id, m]))
  return {
    ids: modules.map((m) => m.id),
    labelOf: (channel) => byId.get(channel)?.label ?? channel,
    flavourOf: (channel) => byId.get(channel)?.flavour ?? 'plain',
  }
}

export interface Channels {
  readonly adapters: readonly ChannelAdapter[]
  /** Routes shared by several adapters (Meta's one webhook serves WhatsApp and Instagram). */
  readonly routes: readonly WebhookRoute[]
}

/** Creates the adapters of the enabled channels, one after the other: shared routes keep their order. */
export async function createChannels(
  enabled: readonly EnabledChannel[],
  ctx: Omit<ChannelContext, 'shared'>,
): Promise<Channels> {
  const shared = new Map<string, { routes(): readonly WebhookRoute[] }>()
  const context: ChannelContext = {
    ...ctx,
    shared<T extends { routes(): readonly WebhookRoute[] }>(key: string, make: () => T): T {
      if (!shared.has(key)) shared.set(key, make())
      return shared.get(key) as T
    },
  }
  const adapters: ChannelAdapter[] = []
  for (const channel of enabled) adapters.push(await channel.create(context))
  return { adapters, routes: [...shared.values()].flatMap((s) => s.routes()) }
}
