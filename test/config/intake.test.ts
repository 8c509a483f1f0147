import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'

const minimal = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret-123',
  SLACK_SUPPORT_CHANNEL: 'C0123',
}

describe('the intake settings', () => {
  it('leave the menu off and let everyone in by default', () => {
    expect(loadConfig(minimal).intake).toEqual({ menu: undefined, contactPolicy: 'open', allowList: [] })
  })

  it('read the menu, the urgency question, the policy and the allow-list', () => {
    const config = loadConfig({
      ...minimal,
      INTAKE: 'menu',
      INTAKE_URGENCY: 'true',
      CONTACT_POLICY: 'known',
      CONTACT_ALLOWLIST: 'telegram:7001, whatsapp_cloud:4915112345678',
    })
    expect(config.intake).toEqual({
      menu: { urgency: true },
      contactPolicy: 'known',
      allowList: ['telegram:7001', 'whatsapp_cloud:4915112345678'],
    })
  })

  it('name each malformed setting in one line', () => {
    expect(() =>
      loadConfig({ ...minimal, INTAKE: 'buttons', CONTACT_POLICY: 'closed', CONTACT_ALLOWLIST: '7001' }),
    ).toThrow(
      'Invalid configuration: INTAKE must be off or menu; CONTACT_POLICY must be open or known; CONTACT_ALLOWLIST is not valid: "7001" is not a contact like telegram:7001 (channel:id)',
    )
  })
})
