import type { Automations } from '../../core/automations.js'
import type { Logger } from '../../core/logger.js'
import type { Report, ReportFile, Reports } from '../../core/report.js'
import type { SlaSettings } from '../../core/sla.js'
import type { Db } from '../../db/connection.js'

/** Lifecycle automations; a null delay turns that rule off. */
export interface AutomationSettings {
  /** Remind the customer of a pending ticket after this long without an answer. */
  readonly pendingRemindMs: number | null
  /** Solve a pending ticket after this long without an answer. */
  readonly pendingSolveMs: number | null
  /** Close a solved ticket after this long. */
  readonly solvedCloseMs: number | null
  /** Local time of the daily digest (HH:MM), or null for none. */
  readonly digestAt: string | null
  /** When the weekly report is posted (Monday = 1, local HH:MM), or null for none. */
  readonly weeklyReport: { readonly weekday: number; readonly at: string } | null
}

/** What every job may use. */
export interface JobDeps {
  readonly db: Db
  /** The ticket operations jobs use: only the automations. */
  readonly helpdesk: Automations
  readonly sla: SlaSettings
  readonly automations: AutomationSettings
  readonly log: Logger
  /** Reports, and how one is put into words and pictures for the support channel. */
  readonly reports?: {
    readonly service: Reports
    present(report: Report): Promise<{ text: string; files: ReportFile[] }>
  }
}

/** Statuses in which a ticket still needs the team. */
export const WORKING_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const
