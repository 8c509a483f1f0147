import type {
  ChannelAdapter,
  ChannelHost,
  DeliveryStatusUpdate,
  DeskNotice,
  InboundMessage,
} from '../../src/core/ports.js'
import { arrivals } from './arrivals.js'

/**
 * An adapter whose work a test can await. The host it is started with is the app's, wrapped: each
 * call is recorded once the app has finished it (the message stored, the notice queued), so
 * `received.reach(1)` resolves exactly when the first message the adapter passed on is in the database.
 */
export function watchHost(adapter: ChannelAdapter) {
  const received = arrivals<InboundMessage>()
  const notices = arrivals<DeskNotice>()
  const statuses = arrivals<DeliveryStatusUpdate>()
  const underWay = new Set<Promise<void>>()

  /** Runs one host call; records what it carried only if it succeeded, as the adapter sees it. */
  function watch(call: Promise<void>, record: () => void): Promise<void> {
    const done = call.then(record)
    underWay.add(done)
    void done.catch(() => undefined).finally(() => underWay.delete(done))
    return done
  }
  const wrap = (host: ChannelHost): ChannelHost => ({
    receive: (msg) => watch(host.receive(msg), () => received.push(msg)),
    notify: (notice) => watch(host.notify(notice), () => notices.push(notice)),
    deliveryStatus: (update) => watch(host.deliveryStatus(update), () => statuses.push(update)),
  })

  return {
    adapter: { ...adapter, start: (host: ChannelHost) => adapter.start(wrap(host)) } satisfies ChannelAdapter,
    /** Messages the app stored, in the order storing finished. */
    received,
    /** Notices the app queued for the support channel. */
    notices,
    statuses,
    /** Resolves once every host call the adapter has made so far has finished, whatever its outcome. */
    async idle(): Promise<void> {
      while (underWay.size > 0) await Promise.allSettled([...underWay])
    },
  }
}
