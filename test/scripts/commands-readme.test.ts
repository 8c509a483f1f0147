import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { END, START, withCommands } from '../../scripts/commands-readme.js'

describe("README's command tables", () => {
  it('are what the command table makes (run `npm run docs:commands` after changing it)', async () => {
    const file = fileURLToPath(new URL('../../README.md', import.meta.url))
    const readme = await readFile(file, 'utf8')
    const made = await withCommands(readme, file)
    const block = (text: string) => text.slice(text.indexOf(START), text.indexOf(END))
    const hint = 'README.md differs from the command table: run `npm run docs:commands`'
    expect(block(readme), hint).toBe(block(made))
    expect(readme, hint).toBe(made)
  })
})
