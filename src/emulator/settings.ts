/**
 * Settings in force for a call: defaults from the Worker's vars, overridden through the control
 * endpoints (stored, so they survive a restart like the pods do).
 */
import type { EmulatorSettings, QuotaResource } from './context';
import type { EmulatorStore } from './storage';

/** The vars the emulator reads (see wrangler.toml and config/emulator.env). */
export interface EmulatorVars {
  EMULATOR_TRANSITION_MS?: string;
  EMULATOR_POD_QUOTA?: string;
  EMULATOR_CALLS_PER_MINUTE?: string;
  EMULATOR_LATENCY_MS?: string;
}

const DEFAULT_TRANSITION_MS = 2000;
const DEFAULT_POD_QUOTA = 20;
const DEFAULT_SECRET_QUOTA = 10;
/** JD Cloud's documented rate limit: about 1000 calls per minute. */
const DEFAULT_CALLS_PER_MINUTE = 1000;
/** Containers per pod at most, so the container quota never binds before the pod quota. */
const CONTAINERS_PER_POD = 8;

const numberVar = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

export const quotaKey = (regionId: string, resourceType: QuotaResource) =>
  `quota:${regionId}:${resourceType}`;
export const TRANSITION_KEY = 'transitionMs';
export const CALLS_PER_MINUTE_KEY = 'callsPerMinute';
export const LATENCY_KEY = 'latencyMs';
export const CLOCK_OFFSET_KEY = 'clockOffsetMs';
/** When set, the emulator clock stands still at this time (ms) until advanced. */
export const CLOCK_FROZEN_KEY = 'clockFrozenAt';

/** Settings for one call, read from the store with the vars as defaults. */
export function currentSettings(store: EmulatorStore, vars: EmulatorVars): EmulatorSettings {
  const podQuota = numberVar(vars.EMULATOR_POD_QUOTA, DEFAULT_POD_QUOTA);
  const defaults: Record<QuotaResource, number> = {
    pod: podQuota,
    container: podQuota * CONTAINERS_PER_POD,
    secret: DEFAULT_SECRET_QUOTA,
  };
  return {
    transitionMs:
      store.getSetting<number>(TRANSITION_KEY) ??
      numberVar(vars.EMULATOR_TRANSITION_MS, DEFAULT_TRANSITION_MS),
    callsPerMinute:
      store.getSetting<number>(CALLS_PER_MINUTE_KEY) ??
      numberVar(vars.EMULATOR_CALLS_PER_MINUTE, DEFAULT_CALLS_PER_MINUTE),
    latencyMs: store.getSetting<number>(LATENCY_KEY) ?? numberVar(vars.EMULATOR_LATENCY_MS, 0),
    quotaLimit: (regionId, resourceType) =>
      store.getSetting<number>(quotaKey(regionId, resourceType)) ?? defaults[resourceType],
  };
}

/**
 * The emulator clock: wall time plus the offset tests have advanced it by, or, once frozen,
 * exactly the time tests set (so a transition ends neither early nor late by a few real ms).
 */
export const emulatorNow = (store: EmulatorStore, wallClock: number): number =>
  store.getSetting<number>(CLOCK_FROZEN_KEY) ??
  wallClock + (store.getSetting<number>(CLOCK_OFFSET_KEY) ?? 0);

/** Moves the emulator clock forward; returns the new time. */
export function advanceClock(store: EmulatorStore, advanceMs: number, wallClock: number): number {
  const frozen = store.getSetting<number>(CLOCK_FROZEN_KEY);
  if (frozen !== undefined) store.putSetting(CLOCK_FROZEN_KEY, frozen + advanceMs);
  else
    store.putSetting(
      CLOCK_OFFSET_KEY,
      (store.getSetting<number>(CLOCK_OFFSET_KEY) ?? 0) + advanceMs,
    );
  return emulatorNow(store, wallClock);
}

/** Stops the clock where it is (`true`) or lets it run on from there (`false`). */
export function freezeClock(store: EmulatorStore, freeze: boolean, wallClock: number): void {
  const now = emulatorNow(store, wallClock);
  if (freeze) {
    store.putSetting(CLOCK_FROZEN_KEY, now);
  } else if (store.getSetting<number>(CLOCK_FROZEN_KEY) !== undefined) {
    store.deleteSetting(CLOCK_FROZEN_KEY);
    store.putSetting(CLOCK_OFFSET_KEY, now - wallClock);
  }
}
