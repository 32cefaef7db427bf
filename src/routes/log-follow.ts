/**
 * `kubectl logs` reads, run in the Worker: the one-shot read (with `timestamps`) and the
 * `follow=true` loop, which re-reads JD Cloud's log with a moving, overlapping window
 * (k8s/log-lines.ts) and streams only the new lines until the client leaves, the pod stops, the
 * `limitBytes` are sent, or {@link FOLLOW_MAX_MS} passes.
 *
 * Every JD call of the loop is made by a client tagged `follow` (JdCallInfo.tag), so a JD call
 * budget can count and rank them apart from requests.
 */
import type { JdClient } from '../jdcloud/client';
import { isJdCloudFailure } from '../jdcloud/errors';
import { splitLines, stampLine, unseenLines } from '../k8s/log-lines';
import { statusFromJdFailure } from '../store/jd-failure';
import type { StreamTarget } from '../store/namespace-store';

/** JD Cloud's getContainerLogs never returns more than 4 KB. */
const JD_LOG_LIMIT = 4096;
/** How often the loop reads JD while following. */
export const FOLLOW_POLL_MS = 1000;
/** Seconds each read reaches back before the previous one: tolerates clock skew with JD. */
const OVERLAP_SECONDS = 3;
/** Every how many reads the loop asks the store whether the pod still runs. */
const PHASE_CHECK_EVERY = 5;
/** A follow ends after an hour; kubectl's `--pod-running-timeout`-style retries can resume it. */
export const FOLLOW_MAX_MS = 3_600_000;

export interface LogRead {
  name: string;
  target: StreamTarget & { jdPodId: string };
  tailLines?: number | undefined;
  sinceSeconds?: number | undefined;
  limitBytes?: number | undefined;
  timestamps: boolean;
}

export interface FollowHooks {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The pod's phase as the store knows it now (undefined: the pod is gone). */
  phase: () => Promise<string | undefined>;
}

const encoder = new TextEncoder();

/** One read of the log (the first read of a follow too), as JD returns it. */
async function readOnce(
  jd: JdClient,
  read: LogRead,
  window: { sinceSeconds?: number; tailLines?: number; limitBytes?: number },
) {
  const { target } = read;
  try {
    return await jd.getContainerLogs(target.regionId, target.jdPodId, target.container, {
      limitBytes: JD_LOG_LIMIT,
      ...window,
    });
  } catch (error) {
    throw isJdCloudFailure(error) ? statusFromJdFailure(error, read.name) : error;
  }
}

const render = (lines: readonly string[], read: LogRead, at: number) =>
  read.timestamps ? lines.map((l) => stampLine(l, at)).join('') : lines.join('');

/** A one-shot read: JD's text, stamped when asked, cut to `limitBytes`. */
export async function readLog(jd: JdClient, read: LogRead, now: number): Promise<string> {
  const text = await readOnce(jd, read, {
    ...(read.tailLines !== undefined ? { tailLines: read.tailLines } : {}),
    ...(read.sinceSeconds !== undefined ? { sinceSeconds: read.sinceSeconds } : {}),
    ...(read.limitBytes !== undefined
      ? { limitBytes: Math.min(read.limitBytes, JD_LOG_LIMIT) }
      : {}),
  });
  const { lines, rest } = splitLines(text);
  return cut(render(rest ? [...lines, rest] : lines, read, now), read.limitBytes);
}

function cut(text: string, limit: number | undefined): string {
  if (limit === undefined) return text;
  const bytes = encoder.encode(text);
  return bytes.length <= limit ? text : new TextDecoder().decode(bytes.slice(0, limit));
}

/**
 * The follow stream. The first read throws (a Status) before any byte is sent, so a refusal is
 * an ordinary error response; later JD failures end the stream.
 */
export async function followLog(
  jd: JdClient,
  read: LogRead,
  hooks: FollowHooks,
): Promise<ReadableStream<Uint8Array>> {
  const started = hooks.now();
  // Whole lines of at most 4 KB each read; `limitBytes` is counted over the stream.
  const first = await readOnce(jd, read, {
    ...(read.tailLines !== undefined ? { tailLines: read.tailLines } : {}),
    ...(read.sinceSeconds !== undefined ? { sinceSeconds: read.sinceSeconds } : {}),
  });
  let { lines: previous, rest } = splitLines(first);
  let lastReadAt = started;
  let budget = read.limitBytes ?? Number.POSITIVE_INFINITY;
  let stopped = false;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string): boolean => {
        if (!text) return true;
        const bytes = encoder.encode(text);
        const allowed = bytes.length <= budget ? bytes : bytes.slice(0, budget);
        budget -= allowed.length;
        controller.enqueue(allowed);
        return budget > 0;
      };
      try {
        if (!send(render(previous, read, started))) return;
        for (let reads = 1; !stopped && hooks.now() - started < FOLLOW_MAX_MS; reads++) {
          await hooks.sleep(FOLLOW_POLL_MS);
          if (stopped) break;
          if (reads % PHASE_CHECK_EVERY === 0 && (await hooks.phase()) !== 'Running') break;
          const now = hooks.now();
          const since = Math.ceil((now - lastReadAt) / 1000) + OVERLAP_SECONDS;
          const text = await readOnce(jd, read, { sinceSeconds: since });
          lastReadAt = now;
          const { lines, rest: partial } = splitLines(text);
          const fresh = unseenLines(previous, lines);
          previous = lines;
          rest = partial;
          if (!send(render(fresh, read, now))) break;
        }
        // The last line may never get its newline: show it when the stream ends.
        if (!stopped && rest) send(render([rest], read, hooks.now()));
      } catch (error) {
        if (!stopped)
          console.warn(
            JSON.stringify({ event: 'logs-follow-ended', pod: read.name, error: String(error) }),
          );
      } finally {
        if (!stopped) controller.close();
      }
    },
    cancel() {
      stopped = true;
    },
  });
}
