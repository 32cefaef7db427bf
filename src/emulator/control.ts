/**
 * Emulator-only control endpoints under `/__emulator/` (a prefix no JD path can take), so tests
 * drive time, faults and quotas instead of sleeping. Unsigned; refused unless EMULATOR_CONTROL=on.
 */
import * as z from 'zod';
import { isRegion } from './catalogue';
import { type ConsoleAction, consoleAction, DEFAULT_FAILURE } from './console';
import { JdError } from './envelope';
import { faultAction, faultRequest } from './faults';
import type { EmulatorRuntime } from './jd-call';
import { maxInWindow, RATE_WINDOW_MS } from './rate-limit';
import {
  advanceClock,
  CALLS_PER_MINUTE_KEY,
  CLOCK_FROZEN_KEY,
  currentSettings,
  type EmulatorVars,
  emulatorNow,
  freezeClock,
  LATENCY_KEY,
  quotaKey,
  TRANSITION_KEY,
} from './settings';
import type { EmulatorStore } from './storage';
import { fieldPath } from './validation';

export const CONTROL_PREFIX = '/__emulator/';

const clockRequest = z.object({
  advanceMs: z.number().int().min(0).default(0),
  freeze: z.boolean().optional(),
});
const quotaRequest = z.object({
  regionId: z.string().refine(isRegion, 'must be a region the emulator serves'),
  resourceType: z.enum(['pod', 'container', 'secret']),
  limit: z.number().int().min(0),
});
const settingsRequest = z
  .object({
    transitionMs: z.number().int().min(0).max(3_600_000).optional(),
    callsPerMinute: z.number().int().min(0).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
  })
  .refine((s) => Object.keys(s).length > 0, 'give transitionMs, callsPerMinute or latencyMs');
const releaseRequest = z.object({
  id: z.number().int().min(1).optional(),
  operation: z.string().optional(),
});
const failRequest = z.object({
  reason: z.string().min(1).default(DEFAULT_FAILURE.reason),
  message: z.string().default(DEFAULT_FAILURE.message),
});
/** `pods/{podId}/{stop|start|fail}` (POST) and `pods/{podId}` (DELETE). */
const CONSOLE_ROUTE = /^(POST|DELETE) pods\/([^/]+)(?:\/(stop|start|fail))?$/;

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

class ControlError extends Error {}

async function parse<T extends z.ZodType>(schema: T, request: Request): Promise<z.infer<T>> {
  // An empty body is `{}`, so endpoints whose fields all have defaults need none.
  const text = await request.text();
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ControlError('body must be JSON');
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ControlError(
    `${fieldPath(issue?.path ?? []) || 'body'}: ${issue?.message ?? 'invalid'}`,
  );
}

/** Serves one control request; `undefined` when the path is not a control endpoint. */
export async function handleControl(
  request: Request,
  store: EmulatorStore,
  vars: EmulatorVars,
  runtime: EmulatorRuntime,
): Promise<Response | undefined> {
  const { pathname, searchParams } = new URL(request.url);
  const route = `${request.method} ${pathname.slice(CONTROL_PREFIX.length)}`;
  const now = () => new Date(emulatorNow(store, Date.now())).toISOString();
  const clockState = () => ({
    now: now(),
    frozen: store.getSetting(CLOCK_FROZEN_KEY) !== undefined,
  });
  const settingsState = () => {
    const { transitionMs, callsPerMinute, latencyMs } = currentSettings(store, vars);
    return { transitionMs, callsPerMinute, latencyMs, now: now() };
  };
  try {
    const consoleRoute = CONSOLE_ROUTE.exec(route);
    if (consoleRoute) {
      const [, method, podId = '', verb] = consoleRoute;
      const action: ConsoleAction | undefined =
        method === 'DELETE' ? (verb ? undefined : 'delete') : (verb as ConsoleAction | undefined);
      if (action) return await runConsoleAction(request, store, vars, podId, action);
    }
    switch (route) {
      case 'POST clock': {
        const { advanceMs, freeze } = await parse(clockRequest, request);
        if (freeze !== undefined) freezeClock(store, freeze, Date.now());
        advanceClock(store, advanceMs, Date.now());
        return json(clockState());
      }
      case 'GET clock':
        return json(clockState());
      case 'POST faults': {
        const fault = await parse(faultRequest, request);
        store.addFault(fault.operation, fault.count, faultAction(fault));
        return json({
          armed: { operation: fault.operation, count: fault.count, action: faultAction(fault) },
        });
      }
      case 'DELETE faults':
        store.clearFaults();
        return json({});
      case 'GET calls':
        return json({ calls: store.listCalls(searchParams.get('operation') ?? undefined) });
      case 'GET calls/rate': {
        const windowMs = Number(searchParams.get('windowMs') ?? RATE_WINDOW_MS);
        if (!Number.isInteger(windowMs) || windowMs < 1) {
          throw new ControlError('windowMs: must be a positive integer');
        }
        const times = store.listCalls().map((c) => Date.parse(c.at));
        return json({ windowMs, total: times.length, maxInWindow: maxInWindow(times, windowMs) });
      }
      case 'GET held': {
        const operation = searchParams.get('operation') ?? undefined;
        const waitMs = Math.min(Number(searchParams.get('waitMs') ?? 0) || 0, 60_000);
        const first = await runtime.held.waitFor(operation, waitMs);
        return json({ held: first ? runtime.held.list(operation) : [] });
      }
      case 'POST held/release': {
        const { id, operation } = await parse(releaseRequest, request);
        return json({ released: runtime.held.release({ id, operation }) });
      }
      case 'DELETE calls':
        store.clearCalls();
        return json({});
      case 'POST reset':
        store.reset();
        runtime.rateLimiter.reset();
        runtime.held.release();
        return json({});
      case 'PUT quota': {
        const { regionId, resourceType, limit } = await parse(quotaRequest, request);
        store.putSetting(quotaKey(regionId, resourceType), limit);
        return json({ regionId, resourceType, limit });
      }
      case 'PUT settings': {
        const body = await parse(settingsRequest, request);
        if (body.transitionMs !== undefined) store.putSetting(TRANSITION_KEY, body.transitionMs);
        if (body.callsPerMinute !== undefined) {
          store.putSetting(CALLS_PER_MINUTE_KEY, body.callsPerMinute);
        }
        if (body.latencyMs !== undefined) store.putSetting(LATENCY_KEY, body.latencyMs);
        return json(settingsState());
      }
      case 'GET streams':
        return json({ streams: runtime.streams.list() });
      case 'DELETE streams':
        return json({ broken: runtime.streams.breakAll() });
      case 'GET settings':
        return json(settingsState());
      default:
        return undefined;
    }
  } catch (err) {
    if (err instanceof ControlError) return json({ error: err.message }, 400);
    if (err instanceof JdError) return json({ error: err.message }, err.code);
    throw err;
  }
}

/** A console action on one pod; answers the pod's phase afterwards (`gone` once deleted). */
async function runConsoleAction(
  request: Request,
  store: EmulatorStore,
  vars: EmulatorVars,
  podId: string,
  action: ConsoleAction,
): Promise<Response> {
  const failure = action === 'fail' ? await parse(failRequest, request) : undefined;
  const pod = store.getPod(podId);
  if (!pod) throw new JdError('NOT_FOUND', `pod ${podId} not found`);
  const at = emulatorNow(store, Date.now());
  const next = consoleAction(pod, action, at, currentSettings(store, vars).transitionMs, failure);
  if (next === null) {
    store.deletePod(podId);
    throw new JdError('NOT_FOUND', `pod ${podId} not found`);
  }
  store.putPod(next);
  return json({ podId, phase: next.phase, ...(next.failure ? { failure: next.failure } : {}) });
}
