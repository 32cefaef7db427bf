/**
 * One JD API call, end to end: latency → route → verify signature and nonce → rate limit →
 * injected fault → handler → (late or held answer) → JD envelope, with the call logged for tests.
 */
import { CLOCK_SKEW_MS, denied, verifyRequest } from './auth';
import { isRegion } from './catalogue';
import { containerOperations } from './container-operations';
import type { OperationContext, OperationHandler } from './context';
import { errorResponse, invalidArgument, JdError, newRequestId, resultResponse } from './envelope';
import type { LiveStreams } from './exec-session';
import { actsFirst, type FaultAction, serveFault, sleep } from './faults';
import type { HeldAnswers } from './held';
import { podOperations } from './pod-operations';
import type { CallRateLimiter } from './rate-limit';
import { resourceOperations } from './resource-operations';
import { matchRoute, type Operation } from './routes';
import { currentSettings, type EmulatorVars, emulatorNow } from './settings';
import type { EmulatorStore } from './storage';

const HANDLERS: Record<Operation, OperationHandler> = {
  ...podOperations,
  ...containerOperations,
  ...resourceOperations,
};

/** The vars a call needs: settings plus the one access key pair the emulator accepts. */
export interface JdCallVars extends EmulatorVars {
  EMULATOR_ACCESS_KEY_ID?: string;
  EMULATOR_SECRET_ACCESS_KEY?: string;
}

/** What lives in the emulator object's memory rather than its storage. */
export interface EmulatorRuntime {
  held: HeldAnswers;
  rateLimiter: CallRateLimiter;
  /** Live exec and attach streams (the control endpoint lists and breaks them). */
  streams: LiveStreams;
}

function parseBody(bytes: Uint8Array): unknown {
  const text = new TextDecoder().decode(bytes).trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidArgument('body', 'must be JSON');
  }
}

/** Serves a JD API request in JD's envelope. */
export async function handleJdCall(
  request: Request,
  store: EmulatorStore,
  vars: JdCallVars,
  runtime: EmulatorRuntime,
): Promise<Response> {
  const requestId = newRequestId();
  const url = new URL(request.url);
  // Read the body first: workerd refuses to read it once any response has been sent.
  const body = new Uint8Array(await request.arrayBuffer());
  const settings = currentSettings(store, vars);
  if (settings.latencyMs > 0) await sleep(settings.latencyMs);
  const route = matchRoute(request.method, url.pathname);
  if (!route) {
    return errorResponse(
      requestId,
      new JdError('NOT_FOUND', `no API ${request.method} ${url.pathname}`),
    );
  }
  const regionId = route.params.regionId ?? '';
  const log = (status: number, fault: string | null = null) =>
    store.logCall({
      operation: route.operation,
      regionId,
      method: request.method,
      path: url.pathname,
      status,
      fault,
      at: emulatorNow(store, Date.now()),
    });

  let response: Response;
  let fault: FaultAction | undefined;
  try {
    const secretOf = (ak: string) =>
      vars.EMULATOR_ACCESS_KEY_ID && ak === vars.EMULATOR_ACCESS_KEY_ID
        ? vars.EMULATOR_SECRET_ACCESS_KEY
        : undefined;
    const caller = await verifyRequest(request, body, secretOf, Date.now());
    const wall = Date.now();
    if (!store.rememberNonce(caller.nonce, wall, wall - 2 * CLOCK_SKEW_MS)) {
      throw denied(`nonce ${caller.nonce} has already been used`);
    }
    const limit = runtime.rateLimiter.admit(
      caller.accessKeyId,
      emulatorNow(store, Date.now()),
      settings.callsPerMinute,
    );
    if (!limit.admitted) {
      log(429, 'rateLimit');
      return errorResponse(
        requestId,
        new JdError(
          'RATE_LIMIT',
          `request too frequent: more than ${settings.callsPerMinute} calls per minute`,
        ),
      );
    }
    fault = store.takeFault(route.operation);
    if (fault) {
      if (fault.kind !== 'delay' && !actsFirst(fault)) {
        log(fault.kind === 'status' ? fault.code : 0, fault.kind);
      }
      const injected = await serveFault(fault, requestId);
      if (injected) return injected;
    }
    if (!isRegion(regionId))
      throw invalidArgument('regionId', `${regionId} does not offer the pod service`);
    const ctx: OperationContext = {
      store,
      settings,
      regionId,
      params: route.params,
      query: url.searchParams,
      body: parseBody(body),
      now: emulatorNow(store, Date.now()),
      request,
      streams: runtime.streams,
      clock: () => emulatorNow(store, Date.now()),
    };
    const result = HANDLERS[route.operation](ctx);
    response = result instanceof Response ? result : resultResponse(requestId, result);
    log(response.status, fault?.kind ?? null);
  } catch (err) {
    const error =
      err instanceof JdError
        ? err
        : new JdError(
            'INTERNAL',
            `internal error: ${err instanceof Error ? err.message : String(err)}`,
          );
    if (!(err instanceof JdError)) console.error(JSON.stringify({ requestId, error: String(err) }));
    response = errorResponse(requestId, error);
    log(response.status, fault && actsFirst(fault) ? fault.kind : null);
  }
  if (fault?.kind === 'delayAfter') await sleep(fault.ms);
  if (fault?.kind === 'holdAfter') {
    const { method } = request;
    await runtime.held.hold(
      { operation: route.operation, method, path: url.pathname, status: response.status },
      fault.ms,
    );
  }
  return response;
}
