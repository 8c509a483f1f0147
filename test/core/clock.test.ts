import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { msOf } from '../../src/core/clock.js'

describe('msOf', () => {
  it('reads every stored time as the moment it was stored', () => {
    // Years 0–9999: toISOString's 24-character form, the one the desk stores.
    const stored = fc.date({
      min: new Date('0000-01-01T00:00:00.000Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    })
    fc.assert(fc.property(stored, (d) => msOf(d.toISOString()) === d.getTime()))
  })

  it('reads other forms as Date.parse does', () => {
    for (const other of [
      '2026-11-30T10:00:00Z',
      '2026-11-30T10:00:00.000+02:00',
      '+012026-01-01T00:00:00.000Z',
      'not a time',
    ])
      expect(msOf(other)).toEqual(Date.parse(other))
  })
})
