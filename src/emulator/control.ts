/**
 * Emulator-only control endpoints under `/__emulator/` (a prefix no JD path can take), so tests
 * drive time, faults and quotas instead of sleeping. Unsigned; refused unless EMULATOR_CONTROL=on.
 */
import * as z from 'zod';
import { isRegion } from './catalogue';
import type { LiveStreams } from './exec-session';
import { faultAction, faultRequest } from './faults';
import {
  advanceClock,
  CLOCK_FROZEN_KEY,
  currentSettings,
  type EmulatorVars,
  emulatorNow,
  freezeClock,
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
const settingsRequest = z.object({ transitionMs: z.number().int().min(0).max(3_600_000) });

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

class ControlError extends Error {}

async function parse<T extends z.ZodType>(schema: T, request: Request): Promise<z.infer<T>> {
  const raw = await request.json().catch(() => {
    throw new ControlError('body must be JSON');
  });
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
  streams: LiveStreams,
): Promise<Response | undefined> {
  const { pathname, searchParams } = new URL(request.url);
  const route = `${request.method} ${pathname.slice(CONTROL_PREFIX.length)}`;
  const now = () => new Date(emulatorNow(store, Date.now())).toISOString();
  const clockState = () => ({
    now: now(),
    frozen: store.getSetting(CLOCK_FROZEN_KEY) !== undefined,
  });
  try {
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
      case 'DELETE calls':
        store.clearCalls();
        return json({});
      case 'POST reset':
        store.reset();
        return json({});
      case 'PUT quota': {
        const { regionId, resourceType, limit } = await parse(quotaRequest, request);
        store.putSetting(quotaKey(regionId, resourceType), limit);
        return json({ regionId, resourceType, limit });
      }
      case 'PUT settings': {
        const { transitionMs } = await parse(settingsRequest, request);
        store.putSetting(TRANSITION_KEY, transitionMs);
        return json({ transitionMs });
      }
      case 'GET streams':
        return json({ streams: streams.list() });
      case 'DELETE streams':
        return json({ broken: streams.breakAll() });
      case 'GET settings':
        return json({ transitionMs: currentSettings(store, vars).transitionMs, now: now() });
      default:
        return undefined;
    }
  } catch (err) {
    if (err instanceof ControlError) return json({ error: err.message }, 400);
    throw err;
  }
}
