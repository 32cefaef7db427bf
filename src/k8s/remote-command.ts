/**
 * Kubernetes' remote-command WebSocket protocol (client-go tools/remotecommand, apimachinery
 * wsstream), as kubectl ≥ 1.30 speaks it for exec and attach: binary messages whose first byte
 * is the channel — 0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 terminal resize
 * (`{"Width":w,"Height":h}`) — and, in v5 only, `[255, n]` closing the client's channel n.
 * Pure: bytes and query strings in, frames and Status objects out.
 */
import { badRequest, failure, type Status } from './status';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

/** The protocols podgate speaks, best first. */
export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type RemoteCommandProtocol = (typeof REMOTE_COMMAND_PROTOCOLS)[number];

/**
 * The protocol to answer from a `Sec-WebSocket-Protocol` header: the best one podgate speaks
 * among those offered, or undefined (then the upgrade is refused with a Status).
 */
export function chooseProtocol(header: string | undefined): RemoteCommandProtocol | undefined {
  const offered = new Set((header ?? '').split(',').map((p) => p.trim()));
  return REMOTE_COMMAND_PROTOCOLS.find((p) => offered.has(p));
}

/** One message from the client. */
export type ClientFrame =
  | { kind: 'stdin'; data: Uint8Array }
  | { kind: 'resize'; width: number; height: number }
  | { kind: 'close'; channel: number }
  | { kind: 'ignored' };

/** Decodes a client message under `protocol` (`[255, n]` is a close only in v5). */
export function decodeClientFrame(
  message: Uint8Array,
  protocol: RemoteCommandProtocol,
): ClientFrame {
  if (message.length === 0) return { kind: 'ignored' };
  const channel = message[0];
  const data = message.subarray(1);
  if (channel === CLOSE && protocol === 'v5.channel.k8s.io') {
    return data.length === 1 ? { kind: 'close', channel: data[0] as number } : { kind: 'ignored' };
  }
  if (channel === STDIN) return { kind: 'stdin', data };
  if (channel === RESIZE) {
    try {
      const size = JSON.parse(new TextDecoder().decode(data)) as {
        Width?: unknown;
        Height?: unknown;
      };
      if (typeof size.Width === 'number' && typeof size.Height === 'number') {
        return { kind: 'resize', width: size.Width, height: size.Height };
      }
    } catch {
      // a malformed resize is dropped, as the kubelet does
    }
  }
  return { kind: 'ignored' };
}

/** A server message on `channel`. */
export function serverFrame(channel: number, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const frame = new Uint8Array(bytes.length + 1);
  frame[0] = channel;
  frame.set(bytes, 1);
  return frame;
}

/** Channel 3's Status: its one cause is of type `ExitCode`, which no HTTP Status uses. */
export type ExitStatus = Omit<Status, 'details'> & {
  details?: { causes: { reason: 'ExitCode'; message: string }[] };
};

/** The Status sent on channel 3 when a command ends (v4/v5, in the kubelet's words). */
export function exitStatus(exitCode: number, command: readonly string[]): ExitStatus {
  if (exitCode === 0) {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      message: '',
      reason: '',
      code: 200,
    };
  }
  return {
    ...failure(
      500,
      'NonZeroExitCode',
      `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    ),
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** The Status sent on channel 3 when the stream fails for another reason (JD, not the command). */
export function streamFailure(message: string): Status {
  return failure(500, 'InternalError', message);
}

/** exec's query, as the apiserver reads PodExecOptions. */
export interface ExecOptions {
  command: string[];
  container: string | undefined;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const flag = (query: URLSearchParams, name: string, fallback: boolean) => {
  const v = query.get(name);
  if (v === null) return fallback;
  return v === 'true' || v === '1';
};

/** PodExecOptions / PodAttachOptions from the query, refused in the apiserver's words. */
export function parseStreamOptions(query: URLSearchParams, kind: 'exec' | 'attach'): ExecOptions {
  const options: ExecOptions = {
    command: query.getAll('command'),
    container: query.get('container') || undefined,
    stdin: flag(query, 'stdin', false),
    stdout: flag(query, 'stdout', kind === 'exec'),
    stderr: flag(query, 'stderr', kind === 'exec'),
    tty: flag(query, 'tty', false),
  };
  if (kind === 'exec' && options.command.length === 0) {
    throw badRequest('you must specify at least 1 command');
  }
  if (!options.stdin && !options.stdout && !options.stderr) {
    throw badRequest('you must specify at least one of stdin, stdout, stderr');
  }
  return options;
}
