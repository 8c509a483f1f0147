import type { Migration } from 'kysely'
import * as m0001 from './0001-initial.js'

/** Every migration, in order. Add a new file for every schema change; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
}
