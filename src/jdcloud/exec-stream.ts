/**
 * execStart and attach: a signed GET upgraded to a WebSocket, and JD Cloud's framing on it.
 *
 * JD documents neither; this follows the official jdcloud-cli (controllers/websocket/*.py),
 * which is the only client JD ships (reference §10):
 * - the upgrade request is signed like any GET, with an empty body;
 * - JD → client: text frames, each tried as JSON: `{"type":"error",…}` ends the session,
 *   `{"streamType":"stdout"|"stderr","output":"…"}` is output on that stream, other JSON is
 *   ignored, and anything that is not JSON is raw stdout;
 * - client → JD: stdin as raw binary frames; without a TTY, `\u0004` after the last byte marks
 *   the end of stdin;
 * - no exit code on the stream: execGetExitCode after it closes.
 */
import * as z from 'zod';
import { type JdCallSettings, readAnswer } from './call';
import { JdNetworkError } from './errors';
import { jdPath } from './path';
import { encodeQuery } from './query';
import { signRequest } from './signature';

/** One message from JD on an exec/attach stream. */
export type JdStreamFrame =
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'error'; message: string }
  | { kind: 'ignored' };

const framed = z.looseObject({
  type: z.string().optional(),
  streamType: z.string().optional(),
  output: z.string().optional(),
  message: z.string().optional(),
});

const decoder = new TextDecoder();

/** Decodes one JD stream message (see the module comment). */
export function decodeJdFrame(data: string | ArrayBuffer | Uint8Array): JdStreamFrame {
  const text = typeof data === 'string' ? data : decoder.decode(data);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'output', stream: 'stdout', text };
  }
  const parsed = framed.safeParse(json);
  if (!parsed.success) return { kind: 'output', stream: 'stdout', text };
  const frame = parsed.data;
  if (frame.type === 'error') {
    return { kind: 'error', message: frame.message ?? JSON.stringify(json) };
  }
  if (frame.streamType === 'stdout' || frame.streamType === 'stderr') {
    return { kind: 'output', stream: frame.streamType, text: frame.output ?? '' };
  }
  return { kind: 'ignored' };
}

/** JD's end-of-stdin marker for a stream without a TTY. */
export const JD_END_OF_STDIN = '\u0004';

/** Opens execStart or attach; throws a JdCloudFailure when JD refuses the upgrade. */
async function openStream(
  settings: JdCallSettings,
  op: 'execStart' | 'attach',
  regionId: string,
  path: string,
  query: [string, string][],
): Promise<WebSocket> {
  const { env } = settings;
  const encoded = encodeQuery(query);
  const url = `${settings.endpoint}${path}${encoded ? `?${encoded}` : ''}`;
  const started = env.now();
  const headers = await signRequest({
    method: 'GET',
    url,
    credentials: settings.credentials,
    region: regionId,
    date: new Date(started),
    nonce: env.nonce(),
  });
  const report = (outcome: 'ok' | 'api' | 'network', httpCode?: number) =>
    settings.onCall?.(op, {
      op,
      method: 'GET',
      path,
      regionId,
      attempt: 1,
      outcome,
      ...(httpCode === undefined ? {} : { httpCode }),
      durationMs: env.now() - started,
      ...(settings.tag === undefined ? {} : { tag: settings.tag }),
    });
  let response: Response;
  try {
    response = await env.fetch(url, { headers: { ...headers, Upgrade: 'websocket' } });
  } catch (error) {
    report('network');
    throw new JdNetworkError(op, error instanceof Error ? error.message : 'upgrade failed');
  }
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) {
    report('api', response.status);
    // A refusal arrives in JD's envelope; a 2xx without a socket is a protocol error.
    await readAnswer(
      { op, method: 'GET', regionId, path, result: z.never(), idempotent: false },
      response,
      env.now(),
    );
    throw new JdNetworkError(op, `JD Cloud answered ${response.status} without a WebSocket`);
  }
  socket.accept();
  socket.binaryType = 'arraybuffer';
  report('ok', 101);
  return socket;
}

/** The streaming operations of a client. */
export function streamOperations(settings: JdCallSettings) {
  const container = (regionId: string, podId: string, containerName: string) =>
    jdPath`/v1/regions/${regionId}/pods/${podId}/containers/${containerName}`;
  return {
    /** Starts a created exec; the socket is accepted and ready. */
    execStart: (regionId: string, podId: string, containerName: string, execId: string) =>
      openStream(
        settings,
        'execStart',
        regionId,
        `${container(regionId, podId, containerName)}%3AexecStart`,
        [['execId', execId]],
      ),
    /** Attaches to the container's main process. */
    attach: (regionId: string, podId: string, containerName: string) =>
      openStream(
        settings,
        'attach',
        regionId,
        `${container(regionId, podId, containerName)}%3Aattach`,
        [],
      ),
  };
}
