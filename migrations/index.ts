import type { Migration } from 'kysely'
import * as m0001 from './0001-initial.js'
import * as m0002 from './0002-delivery-status-and-templates.js'
import * as m0003 from './0003-contact-avatar.js'
import * as m0004 from './0004-sla-and-jobs.js'
import * as m0005 from './0005-ticket-fields-and-canned-replies.js'
import * as m0006 from './0006-ticket-list-indexes.js'
import * as m0007 from './0007-customer-info.js'
import * as m0008 from './0008-shifts.js'
import * as m0009 from './0009-reply-templates-and-rules.js'
import * as m0010 from './0010-outbox-heads-and-progress.js'
import * as m0011 from './0011-agent-removal.js'
import * as m0012 from './0012-ticket-search.js'
import * as m0013 from './0013-delivery-claims.js'
import * as m0014 from './0014-ticket-search-trgm.js'
import * as m0015 from './0015-attachments.js'
import * as m0016 from './0016-api-and-webhooks.js'
import * as m0017 from './0017-report-indexes.js'
import * as m0018 from './0018-intake-and-contact-policy.js'
import * as m0019 from './0019-report-scope-indexes.js'
import * as m0020 from './0020-delivery-claims-index.js'
import * as m0021 from './0021-notice-files.js'
import * as m0022 from './0022-write-lighter-indexes.js'

/** Every migration, in order. Add a new file for every schema change; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-delivery-status-and-templates': m0002,
  '0003-contact-avatar': m0003,
  '0004-sla-and-jobs': m0004,
  '0005-ticket-fields-and-canned-replies': m0005,
  '0006-ticket-list-indexes': m0006,
  '0007-customer-info': m0007,
  '0008-shifts': m0008,
  '0009-reply-templates-and-rules': m0009,
  '0010-outbox-heads-and-progress': m0010,
  '0011-agent-removal': m0011,
  '0012-ticket-search': m0012,
  '0013-delivery-claims': m0013,
  '0014-ticket-search-trgm': m0014,
  '0015-attachments': m0015,
  '0016-api-and-webhooks': m0016,
  '0017-report-indexes': m0017,
  '0018-intake-and-contact-policy': m0018,
  '0019-report-scope-indexes': m0019,
  '0020-delivery-claims-index': m0020,
  '0021-notice-files': m0021,
  '0022-write-lighter-indexes': m0022,
}
