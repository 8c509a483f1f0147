import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { withCommands } from './commands-readme.js'

// `npm run docs:commands`: rewrites README's command tables from adapters/slack/command-table.ts.
const file = fileURLToPath(new URL('../README.md', import.meta.url))
const before = await readFile(file, 'utf8')
const after = await withCommands(before, file)
if (after !== before) await writeFile(file, after)
console.log(after === before ? 'README.md: the commands were up to date' : 'README.md: commands rewritten')
