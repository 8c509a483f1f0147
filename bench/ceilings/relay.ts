/**
 * P5's ceiling: the least a Slack-to-Telegram relay can do on node:http. It verifies Slack's
 * signature over the raw body, finds the thread's chat, forwards the text to Telegram's sendMessage
 * and answers Slack once Telegram answered. Started as a child process, like the bot.
 *
 * Environment: SIGNING_SECRET, TELEGRAM_URL (`{apiRoot}/bot{token}`), CHATS (JSON: thread ts → chat id).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

const signingSecret = process.env.SIGNING_SECRET ?? ''
const telegram = new URL(`${process.env.TELEGRAM_URL ?? ''}/sendMessage`)
const chats = new Map(Object.entries(JSON.parse(process.env.CHATS ?? '{}') as Record<string, number>))
const agent = new Agent({ keepAlive: true, maxSockets: 64 })

function signed(body: string, timestamp: string, signature: string): boolean {
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  )
  const given = Buffer.from(signature)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function sendMessage(chatId: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ chat_id: chatId, text })
    const req = request(
      {
        agent,
        host: telegram.hostname,
        port: telegram.port,
        path: telegram.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8')
    const answer = (status: number) => {
      res.writeHead(status)
      res.end()
    }
    const timestamp = String(req.headers['x-slack-request-timestamp'] ?? '')
    if (!signed(raw, timestamp, String(req.headers['x-slack-signature'] ?? ''))) return answer(401)
    const { event } = JSON.parse(raw) as { event?: { thread_ts?: string; text?: string } }
    const chatId = chats.get(event?.thread_ts ?? '')
    if (chatId === undefined) return answer(200)
    sendMessage(chatId, event?.text ?? '').then(
      (status) => answer(status === 200 ? 200 : 500),
      () => answer(500),
    )
  })
})

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
// The bench holds our stdin open: when it ends, however it ends, so do we.
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
