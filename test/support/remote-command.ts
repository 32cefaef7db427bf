/**
 * A remote-command (v5/v4.channel.k8s.io) client for Workers tests: opens exec/attach on the
 * gateway, sends stdin/resize/close frames, and collects what arrives per channel.
 */
import { exports } from 'cloudflare:workers';
import { ADMIN } from './gateway';

export interface RemoteSession {
  socket: WebSocket;
  /** The subprotocol the gateway chose. */
  protocol: string | null;
  /** Text received so far on each channel. */
  output: Record<number, string>;
  /** Resolves when the gateway closes the socket, with the close code. */
  closed: Promise<number>;
  /** Resolves once `text` has arrived on `channel`. */
  waitFor(channel: number, text: string): Promise<void>;
  stdin(text: string): void;
  closeStdin(): void;
  resize(width: number, height: number): void;
  /** The Status received on channel 3, parsed. */
  status(): { status: string; reason?: string; message?: string; details?: unknown } | undefined;
}

const encoder = new TextEncoder();

const frame = (channel: number, data: string | Uint8Array) => {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const out = new Uint8Array(bytes.length + 1);
  out[0] = channel;
  out.set(bytes, 1);
  return out;
};

/** Opens `pods/{name}/{kind}?query` as a WebSocket; throws with the body when not upgraded. */
export async function openRemote(
  name: string,
  kind: 'exec' | 'attach',
  query: string,
  options: { protocol?: string; token?: string } = {},
): Promise<RemoteSession> {
  const response = await exports.default.fetch(
    new Request(`http://podgate.test/api/v1/namespaces/default/pods/${name}/${kind}?${query}`, {
      headers: {
        Authorization: `Bearer ${options.token ?? ADMIN}`,
        Upgrade: 'websocket',
        'Sec-WebSocket-Protocol': options.protocol ?? 'v5.channel.k8s.io, v4.channel.k8s.io',
      },
    }),
  );
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) {
    throw new Error(`not upgraded: ${response.status} ${await response.text()}`);
  }
  socket.accept();
  socket.binaryType = 'arraybuffer';
  const output: Record<number, string> = {};
  const waiters: { channel: number; text: string; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if ((output[w.channel] ?? '').includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  socket.addEventListener('message', (event) => {
    const bytes =
      typeof event.data === 'string' ? encoder.encode(event.data) : new Uint8Array(event.data);
    const channel = bytes[0] as number;
    output[channel] = (output[channel] ?? '') + new TextDecoder().decode(bytes.subarray(1));
    check();
  });
  const closed = new Promise<number>((resolve) => {
    socket.addEventListener('close', (event) => resolve(event.code));
  });
  return {
    socket,
    protocol: response.headers.get('Sec-WebSocket-Protocol'),
    output,
    closed,
    waitFor: (channel, text) =>
      new Promise<void>((resolve) => {
        waiters.push({ channel, text, resolve });
        check();
      }),
    stdin: (text) => socket.send(frame(0, text)),
    closeStdin: () => socket.send(new Uint8Array([255, 0])),
    resize: (width, height) =>
      socket.send(frame(4, JSON.stringify({ Width: width, Height: height }))),
    status: () => (output[3] ? JSON.parse(output[3]) : undefined),
  };
}

/** `command=a&command=b&…` plus flags. */
export function execQuery(command: string[], flags: Record<string, boolean> = {}): string {
  const params = new URLSearchParams();
  for (const word of command) params.append('command', word);
  const all = { stdout: true, stderr: true, ...flags };
  for (const [k, v] of Object.entries(all)) params.set(k, String(v));
  return params.toString();
}
