/**
 * Handlers for container operations: describeContainer, logs, exec sessions, attach.
 * exec and attach stream over a WebSocket (execStart, attach) in JD's framing (exec-session.ts),
 * running the emulator's small deterministic command set (exec-programs.ts).
 */
import { containerOf, type OperationContext, type OperationHandler, podOf } from './context';
import { failedPrecondition, invalidArgument, notFound, randomToken } from './envelope';
import { LiveStream, type StreamHost } from './exec-session';
import { settle } from './lifecycle';
import { containerLogs, logLine, parseLogOptions } from './logs';
import { execCreateBody, resizeTTYBody } from './other-schemas';
import { renderContainer } from './pod-view';
import { parseParams } from './validation';

interface ExecSession {
  execId: string;
  podId: string;
  containerName: string;
  command: string[];
  tty: boolean;
  started?: boolean;
  exitCode: number | null;
}

/** A running pod's container; exec and attach need one. */
function runningContainer(ctx: OperationContext) {
  const pod = podOf(ctx);
  const container = containerOf(ctx, pod);
  if (pod.phase !== 'running') {
    throw failedPrecondition(`pod ${pod.podId} is ${pod.phase}; the container must be running`);
  }
  return { pod, container };
}

const describeContainer: OperationHandler = (ctx) => {
  const pod = podOf(ctx);
  return { container: renderContainer(containerOf(ctx, pod), pod.phase, pod.failure) };
};

const getContainerLogs: OperationHandler = (ctx) => {
  const options = parseLogOptions(ctx.query);
  const pod = podOf(ctx);
  const container = containerOf(ctx, pod);
  const content = containerLogs(
    {
      containerName: container.spec.name,
      image: container.spec.image,
      startedAt: container.startedAt,
      finishedAt: container.finishedAt,
    },
    options,
    ctx.now,
  );
  return { logs: { content } };
};

const execCreate: OperationHandler = (ctx) => {
  const { command, tty = false } = parseParams(execCreateBody, ctx.body);
  const { pod, container } = runningContainer(ctx);
  const execId = randomToken(32);
  const session: ExecSession = {
    execId,
    podId: pod.podId,
    containerName: container.spec.name,
    command,
    tty,
    exitCode: null,
  };
  ctx.store.putExec(execId, session);
  return { execId };
};

function sessionOf(ctx: OperationContext, execId: string | null): ExecSession {
  if (!execId) throw invalidArgument('execId', 'is required');
  const session = ctx.store.getExec<ExecSession>(execId);
  if (
    !session ||
    session.podId !== ctx.params.podId ||
    session.containerName !== ctx.params.containerName
  ) {
    throw notFound(`exec ${execId}`);
  }
  return session;
}

function requireUpgrade(ctx: OperationContext, operation: string): void {
  if (ctx.request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
    throw invalidArgument('Upgrade', `${operation} requires a WebSocket upgrade`);
  }
}

/** The container a stream runs in, as the stream sees it while it lasts. */
function streamHost(ctx: OperationContext, podId: string, containerName: string): StreamHost {
  const pod = ctx.store.getPod(podId);
  const container = pod?.containers.find((c) => c.spec.name === containerName);
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod?.spec.hostname ?? podId,
  };
  for (const e of container?.spec.env ?? []) env[e.name] = e.value ?? '';
  return {
    hostname: pod?.spec.hostname ?? podId,
    env,
    now: ctx.clock,
    gone: () => {
      const stored = ctx.store.getPod(podId);
      const now = stored ? settle(stored, ctx.clock()) : null;
      if (!now) return `pod ${podId} no longer exists`;
      return now.phase === 'running' ? undefined : `pod ${podId} is ${now.phase}`;
    },
  };
}

function upgraded(client: WebSocket): Response {
  return new Response(null, { status: 101, webSocket: client });
}

const execStart: OperationHandler = (ctx) => {
  const session = sessionOf(ctx, ctx.query.get('execId'));
  requireUpgrade(ctx, 'execStart');
  runningContainer(ctx);
  if (session.started) throw failedPrecondition(`exec ${session.execId} has already been started`);
  ctx.store.putExec(session.execId, { ...session, started: true });
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.binaryType = 'arraybuffer';
  const host = streamHost(ctx, session.podId, session.containerName);
  const stream = new LiveStream(
    server,
    {
      podId: session.podId,
      container: session.containerName,
      execId: session.execId,
      tty: session.tty,
    },
    host,
    ctx.streams,
  );
  void stream.run(session.command, (exitCode) =>
    ctx.store.putExec(session.execId, { ...session, started: true, exitCode }),
  );
  return upgraded(client);
};

const execGetExitCode: OperationHandler = (ctx) => {
  const session = sessionOf(ctx, ctx.query.get('execId'));
  if (session.exitCode === null) {
    throw failedPrecondition(
      `exec ${session.execId} ${session.started ? 'is still running' : 'has not been started'}`,
    );
  }
  return { execCode: session.exitCode };
};

const resizeTTY: OperationHandler = (ctx) => {
  const { execId, height, width } = parseParams(resizeTTYBody, ctx.body);
  const { pod, container } = runningContainer(ctx);
  if (execId !== undefined) {
    sessionOf(ctx, execId);
    ctx.streams.byExecId(execId)?.resize(height, width);
  } else {
    for (const s of ctx.streams.attachedTo(pod.podId, container.spec.name)) s.resize(height, width);
  }
  return {};
};

/**
 * attach: the container's output as it is written (its log lines, starting with the last 10),
 * until the client leaves or the pod stops; stdin is echoed back by the emulated main process.
 */
const attach: OperationHandler = (ctx) => {
  requireUpgrade(ctx, 'attach');
  const { pod, container } = runningContainer(ctx);
  const source = {
    containerName: container.spec.name,
    image: container.spec.image,
    startedAt: container.startedAt ?? ctx.now,
  };
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.binaryType = 'arraybuffer';
  const stream = new LiveStream(
    server,
    { podId: pod.podId, container: container.spec.name, tty: container.spec.tty ?? false },
    streamHost(ctx, pod.podId, container.spec.name),
    ctx.streams,
  );
  const written = (now: number) => Math.floor((now - source.startedAt) / 1000) + 1;
  stream.follow(
    (from, now) => {
      const upTo = written(now);
      let text = '';
      for (let k = from; k < upTo; k++) text += logLine(source, k);
      return { text, next: Math.max(from, upTo) };
    },
    Math.max(0, written(ctx.now) - 10),
  );
  return upgraded(client);
};

export const containerOperations = {
  describeContainer,
  getContainerLogs,
  execCreate,
  execStart,
  execGetExitCode,
  resizeTTY,
  attach,
} satisfies Record<string, OperationHandler>;
