import { describe, expect, it } from 'vitest'
import { classifyCopies, IN_FLIGHT_WINDOW_MS, judge, type Observed } from './verdict.js'

// The fault harness itself runs with `npm run test:faults`; these are the rules it counts by.

const base: Observed = {
  customers: [
    {
      index: 1,
      chatId: '9001',
      messages: [
        { token: 'c1-m1', ackedAt: 1 },
        { token: 'c1-m2', ackedAt: 2 },
      ],
      replies: [{ token: 'c1-r1', ackedAt: 10 }],
      prompt: false,
    },
  ],
  slackPosts: [
    { at: 5, ts: 'T1', threadTs: undefined, text: '#1 New · Telegram · Cust1: c1-m1' },
    { at: 6, ts: 'T2', threadTs: 'T1', text: 'c1-m1' },
    { at: 7, ts: 'T3', threadTs: 'T1', text: 'c1-m2' },
  ],
  telegramSends: [{ at: 20, chatId: '9001', text: 'c1-r1' }],
  telegramAttempts: ['c1-r1'],
  kills: [],
  crashes: [],
}

describe('the fault verdict', () => {
  it('counts nothing when every message arrived once, in its thread and chat', () => {
    expect(judge(base)).toEqual({
      lost: [],
      doubled: [],
      inFlightDoubles: [],
      leaked: [],
      crashed: [],
      reordered: [],
      late: [],
    })
  })

  it('allows a second copy only when the first went out just before a kill and the second after it', () => {
    const kill = 100_000
    const at = (...times: number[]) => times.map((t) => ({ at: t }))
    const kills = (...times: number[]) => times.map((t) => ({ at: t }))
    expect(classifyCopies(at(kill - 50, kill + 3_000), kills(kill))).toEqual({ allowed: 1, unexplained: 0 })
    // Long before the kill: the bot had time to note it, so sending it again is a double.
    expect(classifyCopies(at(kill - IN_FLIGHT_WINDOW_MS - 1, kill + 3_000), kills(kill))).toEqual({
      allowed: 0,
      unexplained: 1,
    })
    // Both copies before the kill, or no kill at all: a double.
    expect(classifyCopies(at(kill - 40, kill - 20), kills(kill))).toEqual({ allowed: 0, unexplained: 1 })
    expect(classifyCopies(at(1, 2), [])).toEqual({ allowed: 0, unexplained: 1 })
    // One row in flight at two kills in a row.
    expect(classifyCopies(at(kill - 10, kill + 9_000, kill + 12_000), kills(kill, kill + 10_000))).toEqual({
      allowed: 2,
      unexplained: 0,
    })
  })

  it('allows it only from the bot that was killed, when the senders are known (replicas)', () => {
    const kill = { at: 100_000, bot: 'b2' }
    // The killed replica sent it, another one sent it again after the kill: in flight.
    expect(
      classifyCopies(
        [
          { at: kill.at - 50, by: 'b2' },
          { at: kill.at + 6_000, by: 'b3' },
        ],
        [kill],
      ),
    ).toEqual({ allowed: 1, unexplained: 0 })
    // Two replicas that both lived sent it: a double, however close to the kill.
    expect(
      classifyCopies(
        [
          { at: kill.at - 50, by: 'b1' },
          { at: kill.at + 10, by: 'b3' },
        ],
        [kill],
      ),
    ).toEqual({ allowed: 0, unexplained: 1 })
  })

  it('counts a message missing from its thread, posted in another thread, or a reply never sent', () => {
    const v = judge({
      ...base,
      slackPosts: [
        ...base.slackPosts.slice(0, 2),
        { at: 7, ts: 'T9', threadTs: 'T8', text: 'c1-m2' },
        { at: 8, ts: 'T10', threadTs: 'T1', text: 'c1-m1' },
      ],
      telegramSends: [],
    })
    expect(v.lost).toEqual(['c1-m2 (posted outside its ticket thread)', 'c1-r1 (never reached Telegram)'])
    expect(v.doubled).toEqual(['c1-m1 in Slack'])
  })

  it('counts a first message its root shows as in its thread, once; shown again in the thread, twice', () => {
    const root = {
      at: 5,
      ts: 'T1',
      threadTs: undefined,
      text: '#1 New · Telegram · Cust1: c1-m1',
      opening: 'c1-m1',
    }
    const shownInRoot = judge({
      ...base,
      slackPosts: [root, { at: 7, ts: 'T3', threadTs: 'T1', text: 'c1-m2' }],
    })
    expect(shownInRoot).toMatchObject({ lost: [], doubled: [], reordered: [] })
    const again = judge({ ...base, slackPosts: [root, ...base.slackPosts.slice(1)] })
    expect(again.doubled).toEqual(['c1-m1 in Slack'])
    // A root that only names the ticket by its subject does not show the message.
    const subjectOnly = judge({ ...base, slackPosts: [base.slackPosts[0]!, base.slackPosts[2]!] })
    expect(subjectOnly.lost).toEqual(['c1-m1 (not in Slack)'])
  })

  it('counts a note that reached a customer and a reply sent to the wrong chat as leaks', () => {
    const v = judge({
      ...base,
      telegramSends: [...base.telegramSends, { at: 21, chatId: '9002', text: 'c1-r1' }],
      telegramAttempts: ['c1-r1', 'note: secret-c1-n1'],
    })
    expect(v.leaked).toEqual(['c1-r1 sent to chat 9002', 'note "note: secret-c1-n1" sent to a customer'])
  })

  it('counts replies out of order, and late ones where promptness is asked for', () => {
    const customer = base.customers[0]!
    const v = judge({
      ...base,
      customers: [
        {
          ...customer,
          prompt: true,
          replies: [
            { token: 'c1-r1', ackedAt: 10 },
            { token: 'c1-r2', ackedAt: 11 },
          ],
        },
      ],
      telegramSends: [
        { at: 20, chatId: '9001', text: 'c1-r2' },
        { at: 9_000, chatId: '9001', text: 'c1-r1' },
      ],
      promptMs: 5_000,
    })
    expect(v.reordered).toEqual(['replies to customer 1: c1-r1 after c1-r2'])
    expect(v.late).toEqual(['c1-r1 took 9.0 s'])
  })
})
