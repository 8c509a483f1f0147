import type { WebClient } from '@slack/web-api'
import { DeskError } from '../../src/core/errors.js'
import type { FileDownload, FileToSend, ThreadRef } from '../../src/core/ports.js'
import { call } from './errors.js'
import { downloadOf, statusError } from '../shared/download.js'
import { streamGet, streamPost, type StreamedAnswer } from '../shared/http-stream.js'

/** Where Slack serves files from: the bot token is sent there and nowhere else. */
const SLACK_FILES_ORIGIN = 'https://files.slack.com'

/** A file's title in the thread: a voice note says it is one (Slack plays it in place). */
function titleOf(file: FileToSend): string {
  return file.kind === 'voice' ? `Voice note (${file.name})` : file.name
}

/**
 * Files between the desk and Slack: uploads into a thread with Slack's external upload flow
 * (files.getUploadURLExternal, the bytes streamed from disk to the URL it gives,
 * files.completeUploadExternal into the thread), and downloads of the files agents attach
 * (url_private_download with the bot token, which is sent only to Slack's own file host).
 */
export function createSlackFiles(client: WebClient, token: string, apiUrl: string | undefined) {
  const trusted = new Set([SLACK_FILES_ORIGIN, ...(apiUrl === undefined ? [] : [new URL(apiUrl).origin])])

  return {
    async uploadFile(thread: ThreadRef, file: FileToSend, signal: AbortSignal): Promise<void> {
      const target = await call('files.getUploadURLExternal', () =>
        client.files.getUploadURLExternal({ filename: file.name, length: file.size }),
      )
      if (target.upload_url === undefined || target.file_id === undefined)
        throw new DeskError('unavailable', 'Slack files.getUploadURLExternal gave no upload URL')
      let answer: { status: number; text: string }
      try {
        answer = await streamPost(target.upload_url, file, signal)
      } catch (cause) {
        throw new DeskError('unavailable', 'the upload to Slack was cut off', { cause })
      }
      if (answer.status < 200 || answer.status >= 300)
        throw statusError("Slack's upload URL", answer.status, undefined)
      await call('files.completeUploadExternal', () =>
        client.files.completeUploadExternal({
          files: [{ id: target.file_id!, title: titleOf(file) }],
          channel_id: thread.channel,
          thread_ts: thread.ts,
        }),
      )
    },

    async fetchFile(ref: string, signal: AbortSignal): Promise<FileDownload> {
      let origin: string
      try {
        origin = new URL(ref).origin
      } catch {
        throw new DeskError('rejected', 'the file has no download address Slack gave')
      }
      if (!trusted.has(origin)) throw new DeskError('rejected', `the file is not on Slack (${origin})`)
      let res: StreamedAnswer
      try {
        res = await streamGet(ref, { authorization: `Bearer ${token}` }, signal)
      } catch (cause) {
        throw new DeskError('unavailable', 'Slack could not be reached for a file', { cause })
      }
      if (res.status < 200 || res.status >= 300) {
        res.body.resume()
        throw statusError('Slack', res.status, res.headers['retry-after'])
      }
      // Without files:read Slack answers its sign-in page instead of the file.
      if ((res.headers['content-type'] ?? '').startsWith('text/html')) {
        res.body.resume()
        throw new DeskError(
          'rejected',
          'Slack answered a sign-in page instead of the file: the app lacks the files:read scope (reinstall it from slack-app-manifest.yaml)',
        )
      }
      return downloadOf(res)
    },
  }
}
