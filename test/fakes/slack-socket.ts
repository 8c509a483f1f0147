import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive'

/** What the app sends back for an envelope. */
export interface SocketAck {
  readonly envelope_id: string
  readonly payload?: Record<string, unknown>
}

export interface EnvelopeOptions {
  readonly envelopeId?: string
  /** Slack's retry count for a redelivered envelope (0 the first time). */
  readonly retryAttempt?: number
  readonly retryReason?: string
}

/**
 * A loopback Slack Socket Mode server: it accepts only the one-use URLs `apps.connections.open`
 * handed out, says hello, sends envelopes, records acks, and drops or recycles the connection
 * on request, as Slack does.
 */
export async function startFakeSlackSocket() {
  const tickets = new Set<string>()
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    // A ticket is good for one connection: a client that reconnects must ask apps.connections.open again.
    verifyClient: ({ req }, done) => {
      const ticket = new URL(req.url ?? '/', 'ws://fake').searchParams.get('ticket')
      const known = ticket !== null && tickets.delete(ticket)
      done(known, known ? undefined : 401)
    },
  })
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  const acks: SocketAck[] = []
  const ackWaiters = new Map<string, (ack: SocketAck) => void>()
  const connectionWaiters: { count: number; resolve: () => void }[] = []
  let current: WebSocket | undefined
  let connections = 0
  let seq = 0

  server.on('connection', (ws) => {
    current = ws
    connections += 1
    ws.on('message', (data: Buffer) => {
      const ack = JSON.parse(data.toString('utf8')) as SocketAck
      acks.push(ack)
      ackWaiters.get(ack.envelope_id)?.(ack)
    })
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A1' },
      }),
    )
    for (const waiter of connectionWaiters.filter((w) => connections >= w.count)) waiter.resolve()
  })

  const open = (): WebSocket => {
    if (current?.readyState !== WebSocket.OPEN) throw new Error('no app is connected to the fake socket')
    return current
  }

  function send(type: EnvelopeType, payload: Record<string, unknown>, opts: EnvelopeOptions = {}): string {
    const envelopeId = opts.envelopeId ?? `env-${++seq}`
    open().send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: opts.retryAttempt ?? 0,
        retry_reason: opts.retryReason ?? '',
      }),
    )
    return envelopeId
  }

  function ackOf(envelopeId: string): Promise<SocketAck> {
    const known = acks.find((a) => a.envelope_id === envelopeId)
    if (known !== undefined) return Promise.resolve(known)
    return new Promise((resolve) => ackWaiters.set(envelopeId, resolve))
  }

  return {
    /** A fresh one-use socket URL, as apps.connections.open answers it. */
    issueUrl(): string {
      const ticket = randomUUID()
      tickets.add(ticket)
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=A1`
    },
    /** How many connections were opened so far. */
    get connections() {
      return connections
    },
    /** Resolves once `count` connections in all have been opened and greeted. */
    connected(count = 1): Promise<void> {
      if (connections >= count) return Promise.resolve()
      return new Promise((resolve) => connectionWaiters.push({ count, resolve }))
    },
    /** Sends an envelope on the open connection; returns its id. */
    send,
    /** Every ack received, in order. */
    acks,
    /** The ack of an envelope, when it arrives. */
    ackOf,
    /** Sends an envelope and waits for its ack. */
    roundTrip: (type: EnvelopeType, payload: Record<string, unknown>, opts?: EnvelopeOptions) =>
      ackOf(send(type, payload, opts)),
    /** Cuts the connection without a close frame, as a network failure does. */
    drop(): void {
      open().terminate()
    },
    /** Asks the app to reconnect, as Slack does before recycling a connection. */
    disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
      open().send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }))
    },
    async close(): Promise<void> {
      for (const client of server.clients) client.terminate()
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}
export type FakeSlackSocket = Awaited<ReturnType<typeof startFakeSlackSocket>>
