import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { START_NODE_OPTIONS } from '../bench/bot.js'

const root = resolve(import.meta.dirname, '..')

it('starts the bot with the same node options in npm start, the container and the bench', () => {
  const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8')
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1]
  expect(cmd, 'the Dockerfile has a CMD in exec form').toBeDefined()
  expect(JSON.parse(cmd!)).toEqual(['node', ...START_NODE_OPTIONS, 'dist/src/main.js'])
  // Bounds the young generation: without it the process keeps ~25 MB more resident.
  expect(START_NODE_OPTIONS).toContain('--max-semi-space-size=4')
})
