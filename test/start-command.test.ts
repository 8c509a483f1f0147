import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { START } from '../bench/bot.js'

const root = resolve(import.meta.dirname, '..')

it('starts the bot with the same variables and node options in npm start, the container and the bench', () => {
  const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8')
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1]
  expect(cmd, 'the Dockerfile has a CMD in exec form').toBeDefined()
  expect(JSON.parse(cmd!)).toEqual(['node', ...START.nodeOptions, 'dist/src/main.js'])
  const variables: Record<string, string> = {}
  for (const [, name = '', value = ''] of dockerfile.matchAll(/^ENV (\w+)=(\S+)$/gm)) variables[name] = value
  expect(variables).toMatchObject(START.env)
  // Bounds the young generation: without it the process keeps ~25 MB more resident.
  expect(START.nodeOptions).toContain('--max-semi-space-size=4')
  // Collects the old generation before it grows past a third more than what lives: under a burst of
  // messages it otherwise swells with garbage (the heap from 35 to 85 MB, resident memory to 210 MB).
  expect(START.nodeOptions).toContain('--heap-growing-percent=35')
  // Two malloc arenas rather than one per thread: about 8 MB less resident under load.
  expect(START.env).toEqual({ MALLOC_ARENA_MAX: '2' })
})
