/**
 * The exec/attach bridge, run in the Worker: the client's remote-command WebSocket
 * (k8s/remote-command.ts) on one side, JD Cloud's execStart/attach WebSocket
 * (jdcloud/exec-stream.ts) on the other. It holds no namespace object for the session's
 * length: the pod was looked up before the upgrade.
 *
 * - stdin (channel 0) → JD as raw bytes; the client closing stdin (v5 `[255, 0]`) → JD's
 *   end-of-stdin `\u0004` (no TTY); resize (channel 4) → resizeTTY.
 * - JD's stdout/stderr → channels 1/2 (only the channels the client asked for; a TTY has stdout
 *   only).
 * - JD closes → execGetExitCode → the Status on channel 3 (Success, or NonZeroExitCode with
 *   an ExitCode cause), then a normal close. A JD error frame or abnormal close → a Failure
 *   Status naming JD Cloud instead.
 * - the client leaves → the JD socket is closed too.
 */

import type { JdClient } from '../jdcloud/client';
import { decodeJdFrame, JD_END_OF_STDIN } from '../jdcloud/exec-stream';
import {
  decodeClientFrame,
  ERROR,
  type ExecOptions,
  exitStatus,
  type RemoteCommandProtocol,
  STDERR,
  STDOUT,
  serverFrame,
  streamFailure,
} from '../k8s/remote-command';
import type { Status } from '../k8s/status';
import { describeError } from '../store/jd-failure';

export interface BridgeTarget {
  regionId: string;
  podId: string;
  container: string;
  /** The pod's Kubernetes name, for messages. */
  name: string;
}

export interface BridgeSession {
  kind: 'exec' | 'attach';
  protocol: RemoteCommandProtocol;
  options: ExecOptions;
  /** Keeps the Worker alive for calls made after a socket event (resize, exit code). */
  waitUntil: (promise: Promise<unknown>) => void;
}

const toBytes = (data: string | ArrayBuffer): Uint8Array =>
  typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);

/**
 * Starts the JD side (execCreate + execStart, or attach), then answers the client's upgrade.
 * A JD refusal still upgrades, and reports itself as the Status on channel 3: kubectl then
 * prints it instead of falling back to SPDY and hiding it.
 */
export async function openBridge(
  jd: JdClient,
  target: BridgeTarget,
  session: BridgeSession,
): Promise<Response> {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.binaryType = 'arraybuffer';
  const response = new Response(null, {
    status: 101,
    webSocket: client,
    headers: { 'Sec-WebSocket-Protocol': session.protocol },
  });
  let execId: string | undefined;
  let upstream: WebSocket;
  try {
    if (session.kind === 'exec') {
      execId = await jd.execCreate(target.regionId, target.podId, target.container, {
        command: session.options.command,
        tty: session.options.tty,
      });
      upstream = await jd.execStart(target.regionId, target.podId, target.container, execId);
    } else {
      upstream = await jd.attach(target.regionId, target.podId, target.container);
    }
  } catch (error) {
    finishWith(
      server,
      streamFailure(
        `JD Cloud refused ${session.kind} on pod ${target.name}: ${describeError(error)}`,
      ),
    );
    return response;
  }
  new Bridge(jd, target, session, server, upstream, execId).start();
  return response;
}

/** Sends the final Status on channel 3 and closes normally. */
function finishWith(server: WebSocket, status: Status | ReturnType<typeof exitStatus>): void {
  try {
    server.send(serverFrame(ERROR, JSON.stringify(status)));
    server.close(1000, '');
  } catch {
    // the client is already gone
  }
}

class Bridge {
  private done = false;
  private jdError: string | undefined;

  constructor(
    private readonly jd: JdClient,
    private readonly target: BridgeTarget,
    private readonly session: BridgeSession,
    private readonly client: WebSocket,
    private readonly upstream: WebSocket,
    private readonly execId: string | undefined,
  ) {}

  start(): void {
    this.client.addEventListener('message', (e) => this.fromClient(toBytes(e.data)));
    this.client.addEventListener('close', () => this.clientLeft());
    this.client.addEventListener('error', () => this.clientLeft());
    this.upstream.addEventListener('message', (e) => this.fromJd(e.data));
    this.upstream.addEventListener('close', (e) => this.jdClosed(e.code, e.reason));
    this.upstream.addEventListener('error', () => this.jdClosed(1006, 'connection error'));
  }

  private fromClient(message: Uint8Array): void {
    if (this.done) return;
    const frame = decodeClientFrame(message, this.session.protocol);
    const { options } = this.session;
    switch (frame.kind) {
      case 'stdin':
        if (options.stdin && frame.data.length) this.toJd(frame.data);
        return;
      case 'close':
        // JD has no half-close: without a TTY its CLI ends stdin with EOT, and so do we.
        if (frame.channel === 0 && options.stdin && !options.tty) this.toJd(JD_END_OF_STDIN);
        return;
      case 'resize':
        if (!options.tty) return;
        this.session.waitUntil(
          this.jd
            .resizeTTY(this.target.regionId, this.target.podId, this.target.container, {
              height: frame.height,
              width: frame.width,
              ...(this.execId === undefined ? {} : { execId: this.execId }),
            })
            .catch((error) =>
              console.warn(
                JSON.stringify({ event: 'resizeTTY-failed', error: describeError(error) }),
              ),
            ),
        );
        return;
    }
  }

  private toJd(data: Uint8Array | string): void {
    try {
      this.upstream.send(data);
    } catch {
      this.jdClosed(1006, 'send failed');
    }
  }

  private fromJd(data: string | ArrayBuffer): void {
    if (this.done) return;
    const frame = decodeJdFrame(data);
    if (frame.kind === 'error') this.jdError = frame.message;
    if (frame.kind !== 'output' || !frame.text) return;
    const { options } = this.session;
    const channel = frame.stream === 'stderr' && !options.tty ? STDERR : STDOUT;
    if (channel === STDOUT ? !options.stdout : !options.stderr) return;
    try {
      this.client.send(serverFrame(channel, frame.text));
    } catch {
      this.clientLeft();
    }
  }

  private jdClosed(code: number, reason: string): void {
    if (this.done) return;
    this.done = true;
    const abnormal = this.jdError !== undefined || (code !== 1000 && code !== 1005);
    if (abnormal) {
      const why = this.jdError ?? `connection closed (${code}${reason ? ` ${reason}` : ''})`;
      finishWith(
        this.client,
        streamFailure(
          `JD Cloud ended the ${this.session.kind} stream of pod ${this.target.name}: ${why}`,
        ),
      );
      return;
    }
    if (this.execId === undefined) {
      finishWith(this.client, exitStatus(0, []));
      return;
    }
    const execId = this.execId;
    this.session.waitUntil(
      this.jd
        .execGetExitCode(this.target.regionId, this.target.podId, this.target.container, execId)
        .then(
          (code) => finishWith(this.client, exitStatus(code, this.session.options.command)),
          (error) =>
            finishWith(
              this.client,
              streamFailure(
                `JD Cloud did not report the exit code of exec ${execId}: ${describeError(error)}`,
              ),
            ),
        ),
    );
  }

  private clientLeft(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.upstream.close(1000, 'client left');
    } catch {
      // already closed
    }
  }
}
