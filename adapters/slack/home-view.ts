import type { Button, HeaderBlock, HomeView, KnownBlock, SectionBlock, UsersSelect } from '@slack/types'
import type { AtRisk, HomeFacts, HomeTicket } from '../../src/core/home.js'
import { statusLabel, type TicketStatus } from '../../src/core/model.js'
import { durationWords } from '../../src/core/report-request.js'
import { clockLabel } from '../../src/core/sla.js'
import type { LabelOf } from '../channel-module.js'
import { escapeText, mention } from './text.js'

/** The App Home's buttons and pickers. */
export const HOME_ACTION = {
  shift: 'td_home_shift',
  assign: 'td_home_assign',
} as const

/** How App Home words a ticket: its link, status, priority, channel, subject and age. */
export interface HomeWords {
  readonly labelOf: LabelOf
  /** A ticket's thread permalink, when it has a thread. */
  readonly linkOf: (ticket: HomeTicket) => string | undefined
  /** A moment as the team reads it. */
  readonly when: (at: Date) => string
  readonly now: Date
}

const section = (text: string, accessory?: Button | UsersSelect): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: text.length > 2900 ? `${text.slice(0, 2899)}…` : text },
  ...(accessory && { accessory }),
})
const header = (text: string): HeaderBlock => ({ type: 'header', text: { type: 'plain_text', text } })

const counts = (byStatus: readonly { status: TicketStatus; count: number }[]) =>
  byStatus.map((s) => `${statusLabel[s.status]} ${s.count}`).join(' · ')

function ticketLine(t: HomeTicket, words: HomeWords): string {
  const link = words.linkOf(t)
  const number = link === undefined ? `#${t.id}` : `<${link}|#${t.id}>`
  const subject = t.subject.length > 60 ? `${t.subject.slice(0, 59)}…` : t.subject
  const age = durationWords(Math.max(0, words.now.getTime() - t.createdAt.getTime()))
  return `${number} · ${statusLabel[t.status]} · ${t.priority} · ${escapeText(words.labelOf(t.channel))} · ${escapeText(subject)} — ${age} old`
}

function riskLine(r: AtRisk, words: HomeWords): string {
  const what = r.breached
    ? `:rotating_light: ${clockLabel[r.clock]} breached`
    : `:hourglass_flowing_sand: ${clockLabel[r.clock]} due ${r.dueAt === null ? 'soon' : words.when(r.dueAt)}`
  return `• ${ticketLine(r.ticket, words)} · ${what} · ${r.assignee === null ? 'unassigned' : mention(r.assignee)}`
}

const list = (lines: readonly string[], empty: string) =>
  lines.length === 0 ? `_${empty}_` : lines.join('\n')

/** The home tab of one person, as Block Kit: a view to `views.publish`. */
export function homeView(facts: HomeFacts, words: HomeWords): HomeView {
  if (facts.kind === 'stranger')
    return {
      type: 'home',
      blocks: [
        section("This desk is for the support team's agents. An admin can add you with `/agents add @you`."),
      ],
    }
  const { today } = facts
  const blocks: KnownBlock[] = [
    header('Your desk'),
    section(
      facts.onShift
        ? '*Shift*: you are on shift; new tickets can be assigned to you.'
        : '*Shift*: you are off shift; no new tickets are assigned to you.',
      {
        type: 'button',
        text: { type: 'plain_text', text: facts.onShift ? 'Go off shift' : 'Go on shift' },
        action_id: HOME_ACTION.shift,
        value: facts.onShift ? 'off' : 'on',
      },
    ),
    section(
      `*Today${facts.team === undefined ? ', your tickets' : ', the whole desk'}*: ${today.created} created · ${today.solved} solved · first response median ${durationWords(today.firstResponse.medianMs)} · ${today.breaches} SLA target${today.breaches === 1 ? '' : 's'} breached`,
    ),
    section(`*Your tickets that need work*: ${counts(facts.mine.byStatus)}`),
    section(
      list(
        facts.mine.tickets.map((t) => `• ${ticketLine(t, words)}`),
        'Nothing assigned to you needs work.',
      ),
    ),
  ]
  const { team } = facts
  if (team !== undefined) {
    blocks.push(
      { type: 'divider' },
      header('The team'),
      section(`*Queue*: ${counts(team.byStatus)} · *unassigned* ${team.unassignedCount}`),
      section(
        `*Breached or about to breach* (${team.atRiskCount}${team.atRiskCount > team.atRisk.length ? `, the ${team.atRisk.length} most urgent shown` : ''})\n${list(
          team.atRisk.map((r) => riskLine(r, words)),
          'No clock has run out or is close to it.',
        )}`,
      ),
      section(
        `*On shift* (tickets that need work): ${
          team.onShift.length === 0
            ? 'nobody'
            : team.onShift.map((a) => `${mention(a.agent)} ${a.load}`).join(' · ')
        }`,
      ),
      section(
        `*Unassigned* (${team.unassignedCount}, oldest first)${team.unassigned.length === 0 ? '\n_Every ticket that needs work has someone._' : ''}`,
      ),
      ...team.unassigned.map((t) => ({
        // The picker says which ticket it assigns through its block.
        block_id: `${HOME_ACTION.assign}:${t.id}`,
        ...section(ticketLine(t, words), {
          type: 'users_select',
          action_id: HOME_ACTION.assign,
          placeholder: { type: 'plain_text', text: 'Assign to…' },
        }),
      })),
    )
  }
  return { type: 'home', blocks }
}
