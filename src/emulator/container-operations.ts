/**
 * Handlers for container operations: describeContainer, logs, exec sessions, attach.
 * exec and attach stream over a WebSocket (execStart, attach); the emulator answers with
 * deterministic output and closes, which is all a client can rely on without a real runtime.
 */
import { containerOf, type OperationContext, type OperationHandler, podOf } from './context';
import { failedPrecondition, invalidArgument, notFound, randomToken } from './envelope';
import { containerLogs, parseLogOptions } from './logs';
import { execCreateBody, resizeTTYBody } from './other-schemas';
import { renderContainer } from './pod-view';
import { parseParams } from './validation';

interface ExecSession {
  execId: string;
  podId: string;
  containerName: string;
  command: string[];
  tty: boolean;
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

/** What the emulated command prints and returns: `echo` echoes, `false` fails, others succeed. */
export function execOutcome(command: readonly string[]): { output: string; exitCode: number } {
  const [program, ...args] = command;
  if (program === 'echo') return { output: `${args.join(' ')}\n`, exitCode: 0 };
  if (program === 'false') return { output: '', exitCode: 1 };
  return { output: `emulator: ran ${command.join(' ')}\n`, exitCode: 0 };
}

function requireUpgrade(ctx: OperationContext, operation: string): void {
  if (ctx.request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
    throw invalidArgument('Upgrade', `${operation} requires a WebSocket upgrade`);
  }
}

/** A WebSocket that sends `text` and closes: the whole stream of a finished command. */
function oneShotSocket(text: string): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  if (text) server.send(text);
  server.close(1000, 'done');
  return new Response(null, { status: 101, webSocket: client });
}

const execStart: OperationHandler = (ctx) => {
  const session = sessionOf(ctx, ctx.query.get('execId'));
  requireUpgrade(ctx, 'execStart');
  runningContainer(ctx);
  const { output, exitCode } = execOutcome(session.command);
  ctx.store.putExec(session.execId, { ...session, exitCode });
  return oneShotSocket(output);
};

const execGetExitCode: OperationHandler = (ctx) => {
  const session = sessionOf(ctx, ctx.query.get('execId'));
  if (session.exitCode === null) throw failedPrecondition(`exec ${session.execId} has not run yet`);
  return { execCode: session.exitCode };
};

const resizeTTY: OperationHandler = (ctx) => {
  const { execId } = parseParams(resizeTTYBody, ctx.body);
  runningContainer(ctx);
  if (execId !== undefined) sessionOf(ctx, execId);
  return {};
};

/** attach streams the container's recent output (the last 10 log lines), then closes. */
const attach: OperationHandler = (ctx) => {
  requireUpgrade(ctx, 'attach');
  const { container } = runningContainer(ctx);
  const source = {
    containerName: container.spec.name,
    image: container.spec.image,
    startedAt: container.startedAt,
  };
  return oneShotSocket(containerLogs(source, { tailLines: 10 }, ctx.now));
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
