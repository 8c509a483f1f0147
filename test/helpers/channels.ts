import { CHANNEL_MODULES, channelCatalog } from '../../adapters/index.js'

/** The registered channels, as the process knows them. */
export const catalog = channelCatalog(CHANNEL_MODULES)
export const CHANNELS = catalog.ids
