import { readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, type Config } from '../src/config.js'

/** The settings of one enabled channel, as its module read them. */
const settingsOf = (config: Config, id: string) => config.channels.find((c) => c.id === id)?.settings

const minimal = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret-123',
  SLACK_SUPPORT_CHANNEL: 'C0123',
}

describe('configuration', () => {
  it('applies the defaults of the contract', () => {
    const config = loadConfig(minimal)
    expect(config).toMatchObject({
      databaseUrl: 'file:./data/threaddesk.db',
      port: 3000,
      logLevel: 'info',
      channels: [],
    })
    expect(config.slack.noteMarkers).toEqual(['note', 'notes', 'private', 'internal'])
    expect(config.slack.replyModes).toEqual({
      telegram: 'send',
      whatsapp: 'send',
      whatsapp_cloud: 'send',
      instagram: 'send',
      discord: 'send',
      api: 'send',
    })
    expect(config.api).toEqual({
      rateLimit: { count: 600, windowMs: 60_000 },
      webhookDisableAfterMs: 24 * 3_600_000,
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('reads the API rate limit and how long a failing webhook endpoint is kept, and names bad ones', () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123', SLACK_SUPPORT_CHANNEL: 'C1' }
    const config = loadConfig({ ...env, API_RATE_LIMIT: '10/s', WEBHOOK_DISABLE_AFTER: '2h' })
    expect(config.api).toEqual({
      rateLimit: { count: 10, windowMs: 1_000 },
      webhookDisableAfterMs: 7_200_000,
    })
    expect(() => loadConfig({ ...env, API_RATE_LIMIT: 'lots', WEBHOOK_DISABLE_AFTER: 'a day' })).toThrow(
      /API_RATE_LIMIT is not valid: "lots" is not a rate like 600\/min; WEBHOOK_DISABLE_AFTER is not valid/,
    )
  })

  it('stops with one line that names each missing or malformed variable', () => {
    const error = (() => {
      try {
        loadConfig({ SLACK_SUPPORT_CHANNEL: '#support', PORT: 'eighty', SLACK_SUPERVISORS: 'maria' })
      } catch (e) {
        return e as ConfigError
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(error?.message.split('\n')).toHaveLength(1)
    expect(error?.message).toContain('SLACK_BOT_TOKEN is required')
    expect(error?.message).toContain('SLACK_SUPPORT_CHANNEL must be a channel id')
    expect(error?.message).toContain('PORT must be a port number')
    expect(error?.message).toContain('SLACK_SUPERVISORS must be Slack user ids')
  })

  it('reads note markers, the legacy marker, and the reply mode per channel', () => {
    const config = loadConfig({
      ...minimal,
      SLACK_NOTE_MARKERS: ' nota, intern ,',
      SLACK_NOTE_MARKER: 'note:',
      REPLY_MODE: 'internal',
      REPLY_MODE_TELEGRAM: 'send',
      REPLY_MODE_DISCORD: '',
    })
    expect(config.slack.noteMarkers).toEqual(['nota', 'intern', 'note:'])
    expect(config.slack.replyModes).toMatchObject({
      telegram: 'send',
      discord: 'internal',
      instagram: 'internal',
    })
  })

  it('refuses a reply mode or note marker it cannot use, in one line', () => {
    expect(() => loadConfig({ ...minimal, REPLY_MODE: 'silent' })).toThrow(
      'Invalid configuration: REPLY_MODE must be send or internal',
    )
    expect(() => loadConfig({ ...minimal, REPLY_MODE_WHATSAPP_CLOUD: 'Send' })).toThrow(
      'Invalid configuration: REPLY_MODE_WHATSAPP_CLOUD must be send or internal',
    )
    expect(loadConfig({ ...minimal, SLACK_NOTE_MARKERS: ' ' }).slack.noteMarkers).toHaveLength(4)
    expect(() => loadConfig({ ...minimal, SLACK_NOTE_MARKERS: ' , ' })).toThrow(
      'Invalid configuration: SLACK_NOTE_MARKERS must name at least one marker, like note,private',
    )
    expect(() => loadConfig({ ...minimal, SLACK_NOTE_MARKERS: 'note,!private' })).toThrow(
      'Invalid configuration: SLACK_NOTE_MARKERS must not start with ! (that starts a thread command)',
    )
  })

  it('needs a signing secret in HTTP mode', () => {
    expect(() => loadConfig({ ...minimal, SLACK_SIGNING_SECRET: undefined })).toThrow(
      'Invalid configuration: SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    )
  })

  it('needs no signing secret in Socket Mode, and turns Telegram on with its token', () => {
    const config = loadConfig({
      ...minimal,
      SLACK_SIGNING_SECRET: '',
      SLACK_APP_TOKEN: 'xapp-1',
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9/',
      SLACK_ADMINS: 'U1, U2',
    })
    expect(config.slack.appToken).toBe('xapp-1')
    expect(config.slack.admins).toEqual(['U1', 'U2'])
    expect(settingsOf(config, 'telegram')).toEqual({
      token: '123:abc',
      apiRoot: 'http://127.0.0.1:9',
      webhookSecret: undefined,
    })
  })

  it('refuses a Telegram webhook secret Telegram would refuse', () => {
    expect(() => loadConfig({ ...minimal, TELEGRAM_WEBHOOK_SECRET: 'has spaces!' })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET/,
    )
  })

  it('turns the WhatsApp Cloud API on only with everything it needs', () => {
    expect(() => loadConfig({ ...minimal, WHATSAPP_CLOUD_TOKEN: 'EAAG' })).toThrow(
      "WHATSAPP_PHONE_NUMBER_ID is required with WHATSAPP_CLOUD_TOKEN (from the app's WhatsApp setup page); META_APP_SECRET is required for the WhatsApp Cloud API (it verifies the webhooks)",
    )
    const config = loadConfig({
      ...minimal,
      WHATSAPP_CLOUD_TOKEN: 'EAAG',
      WHATSAPP_PHONE_NUMBER_ID: '1065',
      META_APP_SECRET: 'app-secret-1',
    })
    expect(settingsOf(config, 'whatsapp_cloud')).toEqual({
      app: {
        appSecret: 'app-secret-1',
        verifyToken: undefined,
        graphUrl: 'https://graph.facebook.com',
        version: 'v21.0',
      },
      token: 'EAAG',
      phoneNumberId: '1065',
      templateLanguage: 'en_US',
    })
  })

  it('needs a browser for WhatsApp Web, and reads its pacing', () => {
    expect(() => loadConfig({ ...minimal, WHATSAPP_WEB_ENABLED: 'true' })).toThrow(
      'CHROMIUM_PATH is required',
    )
    expect(() => loadConfig({ ...minimal, WHATSAPP_WEB_ENABLED: 'yes' })).toThrow(
      'WHATSAPP_WEB_ENABLED must be true or false',
    )
    const config = loadConfig({
      ...minimal,
      WHATSAPP_WEB_ENABLED: 'true',
      CHROMIUM_PATH: '/usr/bin/chromium',
      WHATSAPP_WEB_GAP_MS: '500',
    })
    expect(settingsOf(config, 'whatsapp')).toEqual({
      sessionDir: './data/whatsapp-web',
      chromiumPath: '/usr/bin/chromium',
      chatGapMs: 3000,
      globalGapMs: 500,
    })
    expect(settingsOf(loadConfig(minimal), 'whatsapp')).toBeUndefined()
  })

  it('turns Instagram on with its token and account, verified through the Meta app secret', () => {
    expect(() => loadConfig({ ...minimal, INSTAGRAM_ACCESS_TOKEN: 'IGAA' })).toThrow(
      'INSTAGRAM_ACCOUNT_ID is required with INSTAGRAM_ACCESS_TOKEN',
    )
    const config = loadConfig({
      ...minimal,
      INSTAGRAM_ACCESS_TOKEN: 'IGAA',
      INSTAGRAM_ACCOUNT_ID: '1784',
      META_APP_SECRET: 'app-secret-1',
    })
    expect(settingsOf(config, 'instagram')).toMatchObject({ token: 'IGAA', accountId: '1784' })
  })

  it('turns Discord on with its token, with an optional server channel', () => {
    const config = loadConfig({
      ...minimal,
      DISCORD_BOT_TOKEN: 'MTI3.x.y',
      DISCORD_API_URL: 'http://127.0.0.1:9/api/',
    })
    expect(settingsOf(config, 'discord')).toEqual({
      token: 'MTI3.x.y',
      apiUrl: 'http://127.0.0.1:9/api',
      guildChannelId: undefined,
    })
    expect(() =>
      loadConfig({ ...minimal, DISCORD_BOT_TOKEN: 'x', DISCORD_GUILD_CHANNEL_ID: '#support' }),
    ).toThrow('DISCORD_GUILD_CHANNEL_ID must be a channel id')
  })

  it('reads business hours, SLA targets and the automations, and says what is wrong with them', () => {
    const config = loadConfig({
      ...minimal,
      TZ: 'Europe/Berlin',
      BUSINESS_HOURS: 'Mon-Fri 09:00-17:00',
      HOLIDAYS: '2026-12-24, 2026-12-25',
      SLA_TARGETS: 'urgent=15m/30m/2h',
      SLA_WARN_AT: '80',
      PENDING_REMIND_DAYS: '0',
    })
    expect(config.hours.schedule).toHaveLength(5)
    expect(config.hours.holidays).toEqual(['2026-12-24', '2026-12-25'])
    expect(config.sla.policy.urgent).toEqual({
      first_response: 900_000,
      next_response: 1_800_000,
      resolution: 7_200_000,
    })
    expect(config.sla.policy.normal.first_response).toBe(4 * 3_600_000)
    expect(config.sla.warnAt).toBe(0.8)
    expect(config.automations).toEqual({
      pendingRemindMs: null,
      pendingSolveMs: 5 * 86_400_000,
      solvedCloseMs: 4 * 86_400_000,
      digestAt: '08:00',
      weeklyReport: null,
    })
    expect(loadConfig({ ...minimal, REPORT_WEEKLY: 'Mon 09:30' }).automations.weeklyReport).toEqual({
      weekday: 1,
      at: '09:30',
    })
    expect(() => loadConfig({ ...minimal, REPORT_WEEKLY: 'monday 9am' })).toThrow(
      'REPORT_WEEKLY is not valid: "monday 9am" is not a day and time like mon 09:00',
    )

    expect(() => loadConfig({ ...minimal, TZ: 'Mars/Olympus' })).toThrow('TZ must be an IANA time zone')
    expect(() => loadConfig({ ...minimal, BUSINESS_HOURS: 'Mon-Fri 9-5' })).toThrow(
      'BUSINESS_HOURS is not valid: "9" in "Mon-Fri 9-5" is not a time like 09:00',
    )
    expect(() => loadConfig({ ...minimal, SLA_TARGETS: 'vip=1h/2h/3h' })).toThrow(
      'SLA_TARGETS is not valid: "vip" is not a priority',
    )
    expect(() => loadConfig({ ...minimal, HOLIDAYS: '25.12.2026' })).toThrow('HOLIDAYS is not valid')
    expect(() => loadConfig({ ...minimal, AFTER_HOURS_REPLY: 'We are closed.' })).toThrow(
      'AFTER_HOURS_REPLY must say when the team is back: include {{business.opens}}',
    )
    expect(() => loadConfig({ ...minimal, DIGEST_TIME: '8am' })).toThrow(
      'DIGEST_TIME must be a time like 08:00, or off',
    )
  })

  it('reads the file limits: 25 MB and common types by default, groups and MIME types, one line for each mistake', () => {
    expect(loadConfig(minimal).files).toEqual({
      limits: {
        maxBytes: 25 * 1024 * 1024,
        types: expect.arrayContaining([
          'image/*',
          'video/*',
          'audio/*',
          'application/pdf',
          'application/zip',
        ]) as string[],
      },
      dir: undefined,
      keepDays: 30,
    })
    const chosen = loadConfig({
      ...minimal,
      MAX_ATTACHMENT_MB: '2.5',
      ATTACHMENT_TYPES: 'images, application/json',
      ATTACHMENT_DIR: '/var/lib/threaddesk/files',
      ATTACHMENT_KEEP_DAYS: '7',
    }).files
    expect(chosen).toEqual({
      limits: { maxBytes: 2.5 * 1024 * 1024, types: ['image/*', 'application/json'] },
      dir: '/var/lib/threaddesk/files',
      keepDays: 7,
    })
    expect(() =>
      loadConfig({
        ...minimal,
        MAX_ATTACHMENT_MB: '0',
        ATTACHMENT_TYPES: 'images,executables',
        ATTACHMENT_KEEP_DAYS: 'x',
      }),
    ).toThrow(
      'Invalid configuration: MAX_ATTACHMENT_MB must be more than 0; ' +
        'ATTACHMENT_TYPES "executables" is neither a group (images, video, audio, pdf, text, office, archives) nor a MIME type like application/pdf or image/*; ' +
        'ATTACHMENT_KEEP_DAYS must be a number of days',
    )
  })

  it('reads auto-assignment, and refuses a rule for a group that does not exist', () => {
    const config = loadConfig({
      ...minimal,
      AUTO_ASSIGN: 'true',
      AGENT_CAPACITY: '5',
      ASSIGN_GROUPS: 'tech=U1 U2; billing=U3',
      ASSIGN_RULES: 'channel:discord=tech, type:invoice=billing',
    })
    expect(config.assignment).toEqual({
      capacity: 5,
      groups: { tech: ['U1', 'U2'], billing: ['U3'] },
      rules: [
        { channel: 'discord', group: 'tech' },
        { type: 'invoice', group: 'billing' },
      ],
      reassignOnShiftOff: false,
    })
    expect(loadConfig(minimal).assignment).toBeUndefined()
    expect(() => loadConfig({ ...minimal, ASSIGN_RULES: 'channel:discord=tech' })).toThrow(
      'ASSIGN_RULES names the group "tech", which ASSIGN_GROUPS does not define',
    )
    expect(() => loadConfig({ ...minimal, ASSIGN_GROUPS: 'tech=bob' })).toThrow(
      '"tech=bob" is not a group like billing=U0123 U0456',
    )
  })
})

describe('a first run', () => {
  const example = parseEnv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'))

  it('starts from .env.example as shipped once the required values are filled in', () => {
    const config = loadConfig({ ...example, ...minimal, TELEGRAM_BOT_TOKEN: '123:abc' })
    expect(config.channels.map((c) => c.id)).toEqual(['telegram'])
    expect(config.warnings).toEqual([])
  })

  it('names every missing required value in one run, the cross-field ones included', () => {
    expect(() => loadConfig(example)).toThrow(
      'Invalid configuration: SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode); ' +
        'SLACK_BOT_TOKEN is required (the bot token, xoxb-…); ' +
        'SLACK_SUPPORT_CHANNEL is required (the id of the channel where tickets are posted, C…)',
    )
    const problems = (() => {
      try {
        loadConfig({ ...example, SLACK_BOT_TOKEN: 'xoxp-1', PORT: 'x', WHATSAPP_PHONE_NUMBER_ID: 'abc' })
      } catch (e) {
        return (e as ConfigError).message
      }
    })()
    for (const expected of [
      'SLACK_BOT_TOKEN must be a bot token',
      'SLACK_SIGNING_SECRET is required',
      'PORT must be a port number',
      'WHATSAPP_PHONE_NUMBER_ID must be the numeric phone number id',
      'WHATSAPP_CLOUD_TOKEN is required with WHATSAPP_PHONE_NUMBER_ID',
      'META_APP_SECRET is required for the WhatsApp Cloud API',
    ])
      expect(problems).toContain(expected)
  })

  it('warns about a desk no customer can reach, and a webhook half set up', () => {
    expect(loadConfig(minimal).warnings).toEqual([
      expect.stringContaining('No customer channel is configured'),
    ])
    const polled = loadConfig({
      ...minimal,
      TELEGRAM_BOT_TOKEN: '1:a',
      PUBLIC_URL: 'https://desk.example.com',
    })
    expect(polled.warnings).toEqual([
      'PUBLIC_URL is set but TELEGRAM_WEBHOOK_SECRET is not, so Telegram is polled: set a secret to receive it by webhook.',
    ])
    const secretOnly = loadConfig({ ...minimal, TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_SECRET: 's' })
    expect(secretOnly.warnings).toEqual([expect.stringContaining('PUBLIC_URL is not, so Telegram is polled')])
  })

  it('takes a SQLite file or a PostgreSQL URL and refuses other databases in one line', () => {
    expect(loadConfig({ ...minimal, DATABASE_URL: 'file:/var/lib/td.db' }).databaseUrl).toBe(
      'file:/var/lib/td.db',
    )
    expect(loadConfig({ ...minimal, DATABASE_URL: 'postgres://u:p@db:5432/td' }).databaseUrl).toBe(
      'postgres://u:p@db:5432/td',
    )
    expect(loadConfig({ ...minimal, DATABASE_URL: 'postgresql://u@db/td?sslmode=require' }).databaseUrl).toBe(
      'postgresql://u@db/td?sslmode=require',
    )
    expect(() => loadConfig({ ...minimal, DATABASE_URL: 'mysql://u@h/db' })).toThrow(
      'Invalid configuration: DATABASE_URL names a database threaddesk cannot use (mysql): use file:PATH for SQLite or postgres://… for PostgreSQL',
    )
    expect(() => loadConfig({ ...minimal, DATABASE_URL: 'postgres://u@h:port/db' })).toThrow(
      'DATABASE_URL is not a PostgreSQL URL like postgres://user:password@host:5432/threaddesk',
    )
    expect(() => loadConfig({ ...minimal, DATABASE_URL: './td.db' })).toThrow(
      'DATABASE_URL must start with file: (SQLite), like file:./td.db',
    )
  })
})
