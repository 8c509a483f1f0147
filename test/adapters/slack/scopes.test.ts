import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MANIFEST_BOT_SCOPES } from '../../../adapters/slack/scopes.js'

/** The list under `oauth_config: scopes: bot:`, read line by line (the manifest's own indentation). */
function manifestBotScopes(yaml: string): string[] {
  const lines = yaml.split('\n')
  const start = lines.findIndex((l, i) => l === 'oauth_config:' && lines[i + 1]?.trim() === 'scopes:')
  const bot = lines.findIndex((l, i) => i > start && l.trim() === 'bot:')
  const scopes: string[] = []
  for (const line of lines.slice(bot + 1)) {
    const item = /^\s+- (\S+)$/.exec(line)
    if (item === null) break
    scopes.push(item[1] ?? '')
  }
  return scopes
}

describe('Slack scopes', () => {
  it('the doctor checks exactly the bot scopes slack-app-manifest.yaml asks for', () => {
    const manifest = readFileSync(new URL('../../../slack-app-manifest.yaml', import.meta.url), 'utf8')
    const scopes = manifestBotScopes(manifest)
    expect(scopes.length).toBeGreaterThan(0)
    expect(scopes).toEqual([...MANIFEST_BOT_SCOPES])
  })
})
