/**
 * P1's ceiling: the least a webhook receiver can do on node:http. It checks Telegram's secret
 * token, reads and parses the body, and answers 200. Started as a child process, like the bot.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const secret = Buffer.from(process.env.SECRET ?? '')

const server = createServer((req, res) => {
  const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''))
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    let status = 200
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) status = 401
    else {
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        status = 400
      }
    }
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end('{}')
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
