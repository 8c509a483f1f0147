import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { isDeskError } from '../../src/core/errors.js'
import { readRawBody, type BodyBudget } from '../../src/http/body.js'

describe('request bodies read at once', () => {
  let server: Server | undefined
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  })

  /** A server that answers with the length of the body it read, or 503/400 with why it did not. */
  async function serve(budget: BodyBudget): Promise<number> {
    const listening = createServer((req, res) => {
      readRawBody(req, 10_000, budget).then(
        (raw) => res.writeHead(200).end(String(raw.length)),
        (error: unknown) => {
          const unavailable = isDeskError(error) && error.code === 'unavailable'
          res.writeHead(unavailable ? 503 : 400).end(String(error))
        },
      )
    })
    server = listening
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve))
    return (listening.address() as AddressInfo).port
  }

  /** A budget that says when it holds a given number of bytes. */
  function watched(max: number) {
    let held = 0
    const watchers = new Set<() => void>()
    const budget: BodyBudget = {
      max,
      get held() {
        return held
      },
      set held(bytes) {
        held = bytes
        for (const watcher of watchers) watcher()
      },
    }
    const holds = (bytes: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (held === bytes) resolve()
        }
        watchers.add(check)
        check()
      })
    return { budget, holds }
  }

  function post(port: number, length: number) {
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': length } })
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
    })
    return { req, answer }
  }

  it('refuses with 503 a body that would take them past their ceiling, holding none of it', async () => {
    const { budget, holds } = watched(1_000)
    const port = await serve(budget)
    // A slow sender: 600 of its 900 bytes, then a pause.
    const slow = post(port, 900)
    slow.req.write(Buffer.alloc(600, 'a'))
    await holds(600)

    const other = post(port, 500)
    other.req.end(Buffer.alloc(500, 'b'))
    expect(await other.answer).toMatchObject({ status: 503 })
    expect(budget.held).toBe(600)

    slow.req.end(Buffer.alloc(300, 'a'))
    expect(await slow.answer).toEqual({ status: 200, body: '900' })
    expect(budget.held).toBe(0)
    const after = post(port, 1_000)
    after.req.end(Buffer.alloc(1_000, 'c'))
    expect(await after.answer).toEqual({ status: 200, body: '1000' })
  })
})
