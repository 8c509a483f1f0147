import { readFile } from 'node:fs/promises'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { manifestSlashCommands, SHORTCUTS } from '../adapters/slack/command-table.js'

/** The parts of slack-app-manifest.yaml the command table speaks for. */
const Manifest = z.object({
  features: z.object({
    shortcuts: z.array(
      z.object({ name: z.string(), type: z.string(), callback_id: z.string(), description: z.string() }),
    ),
    slash_commands: z.array(
      z.object({ command: z.string(), description: z.string(), usage_hint: z.string().optional() }),
    ),
  }),
})

const manifest = async () =>
  Manifest.parse(load(await readFile(new URL('../slack-app-manifest.yaml', import.meta.url), 'utf8')))

describe('slack-app-manifest.yaml', () => {
  it('declares exactly the slash commands of the command table, with its usage hints and descriptions', async () => {
    const declared = (await manifest()).features.slash_commands.map((c) => ({
      name: c.command.replace(/^\//, ''),
      hint: c.usage_hint ?? '',
      description: c.description,
    }))
    const table = manifestSlashCommands().map(({ name, hint, description }) => ({ name, hint, description }))
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
    expect(declared.toSorted(byName)).toEqual(table.toSorted(byName))
  })

  it('declares exactly the message shortcuts of the command table', async () => {
    const declared = (await manifest()).features.shortcuts
    expect(declared.toSorted((a, b) => a.callback_id.localeCompare(b.callback_id))).toEqual(
      Object.values(SHORTCUTS)
        .map((s) => ({
          name: s.name,
          type: 'message',
          callback_id: s.callbackId,
          description: s.description,
        }))
        .toSorted((a, b) => a.callback_id.localeCompare(b.callback_id)),
    )
  })
})
