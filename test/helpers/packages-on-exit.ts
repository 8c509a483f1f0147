/**
 * Preloaded into a bot started as a child process (`node --import`): as it exits, it writes the
 * npm packages it loaded to the file PACKAGES_FILE names, as a JSON array. It reads Node's
 * CommonJS cache, which is where the platform SDKs land (they are all CommonJS, even when imported).
 */
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const file = process.env.PACKAGES_FILE
const PACKAGE = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/

if (file !== undefined)
  process.on('exit', () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache).flatMap((path) => {
      const name = PACKAGE.exec(path)?.[1]
      return name === undefined ? [] : [name.replace('\\', '/')]
    })
    writeFileSync(file, JSON.stringify([...new Set(loaded)].sort()))
  })
