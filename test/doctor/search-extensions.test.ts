import { describe, expect, it } from 'vitest'
import { searchExtensionsCheck } from '../../src/doctor/database.js'

describe("the doctor's word on ticket search's PostgreSQL extensions", () => {
  const state = { missing: [], unavailable: [], mayCreate: false, database: 'desk', user: 'bot' }

  it('says nothing while they are there, or the migration may create them', () => {
    expect(searchExtensionsCheck(state)).toBeUndefined()
    expect(
      searchExtensionsCheck({ ...state, missing: ['pg_trgm', 'unaccent'], mayCreate: true }),
    ).toBeUndefined()
  })

  it('names what to grant or what a superuser runs when this user may not create them', () => {
    expect(searchExtensionsCheck({ ...state, missing: ['unaccent'] })).toEqual({
      status: 'fail',
      what: 'database search: bot may not create the PostgreSQL extension unaccent that ticket search needs',
      fix: 'GRANT CREATE ON DATABASE desk TO bot; (PostgreSQL 13 or later), or have a superuser run once in that database: CREATE EXTENSION IF NOT EXISTS unaccent;',
    })
  })

  it('says to install them when the server does not have them', () => {
    const check = searchExtensionsCheck({
      ...state,
      missing: ['pg_trgm'],
      unavailable: ['pg_trgm'],
      mayCreate: true,
    })
    expect(check?.status).toBe('fail')
    expect(check?.what).toBe('database search: this PostgreSQL server has no pg_trgm extension')
    expect(check?.fix).toContain('contrib')
  })
})
