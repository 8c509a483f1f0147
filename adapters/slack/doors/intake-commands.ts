import type { App } from '@slack/bolt'
import type { Actor } from '../../../src/core/helpdesk.js'
import { slashCommand } from '../command-table.js'
import { escapeText, fromSlackText } from '../text.js'
import type { DoorContext } from './context.js'

const USAGE =
  'Use `/intake list`, `/intake add TYPE FIELD [lang:LANG] QUESTION` or `/intake remove TYPE FIELD`.'

/** /intake: the questions asked after a customer picks a ticket type; admins edit them. */
export function registerIntakeCommands(app: App, { intakeQuestions, attempt }: DoorContext): void {
  app.command(slashCommand('intake'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', type = '', field = '', ...rest] = command.text.trim().split(/\s+/)
    const language = /^lang:(\S+)$/i.exec(rest[0] ?? '')?.[1]
    const question = (language === undefined ? rest : rest.slice(1)).join(' ')
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'add':
          return intakeQuestions.add(actor, type, field, language, fromSlackText(question))
        case 'remove':
          return intakeQuestions.remove(actor, type, field)
        case 'list': {
          const all = await intakeQuestions.list()
          if (all.length === 0)
            return 'No intake questions yet. Admins add them: `/intake add billing order_number What is your order number?`'
          return [
            '*Intake questions* (asked one at a time after the customer picks a type; each answer is a ticket field)',
            ...all.map(
              (q) =>
                `• *${q.type}* · \`${q.field}\`: ${q.texts
                  .map((t) => `${t.language === '' ? '' : `(${t.language}) `}${escapeText(t.text)}`)
                  .join(' · ')}`,
            ),
          ].join('\n')
        }
        default:
          return `:warning: \`${escapeText(sub)}\` is not an /intake command. ${USAGE}`
      }
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}
