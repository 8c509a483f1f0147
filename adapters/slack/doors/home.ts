import type { App, BlockAction, UsersSelectAction } from '@slack/bolt'
import { call } from '../errors.js'
import type { HomePublisher } from '../home-publisher.js'
import { HOME_ACTION } from '../home-view.js'
import type { DoorContext } from './context.js'

/**
 * App Home: published when someone opens it, kept current by the publisher; its shift switch and
 * assign pickers act as `/shift` and `/assign` do. A failure is said in the person's messages with
 * the app, the only place a home tab can be answered in.
 */
export function registerHome(app: App, ctx: DoorContext, home: HomePublisher): void {
  const { helpdesk, failureText, log } = ctx

  async function tell(user: string, text: string | undefined): Promise<void> {
    if (text === undefined) return
    await call('chat.postMessage', () => app.client.chat.postMessage({ channel: user, text })).catch(
      (error: unknown) => log.warn({ err: error }, 'could not answer in the home tab'),
    )
  }

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab === 'home' && typeof event.user === 'string') await home.opened(event.user)
  })

  app.action<BlockAction>(HOME_ACTION.shift, async ({ action, body, ack }) => {
    await ack()
    const on = 'value' in action && action.value === 'on'
    try {
      await helpdesk.setShift({ deskUserId: body.user.id }, on)
    } catch (error) {
      await tell(body.user.id, failureText(error))
    }
    await home.opened(body.user.id)
  })

  app.action<BlockAction<UsersSelectAction>>(HOME_ACTION.assign, async ({ action, body, ack }) => {
    await ack()
    const ticketId = Number(action.block_id.split(':')[1])
    try {
      await helpdesk.assign({ deskUserId: body.user.id }, ticketId, action.selected_user)
    } catch (error) {
      await tell(body.user.id, failureText(error))
    }
  })
}
