/**
 * The JD Cloud pod-service client: one typed method per operation, each taking the region
 * first. Runtime-neutral (Web standard APIs only); every HTTP request goes through the injectable
 * `fetch`, so tests and the emulator can stand in for JD Cloud.
 *
 * @example
 * const jd = createJdClient({ endpoint: 'https://pod.jdcloud-api.com', credentials });
 * const pod = await jd.describePod('cn-north-1', 'pod-abc123');
 */
import type { Config } from '../config';
import type { JdCallBudget, JdCallPriority } from './budget';
import { type JdCallInfo, type JdCallSettings, type JdOperation, runOperation } from './call';
import { execOperations } from './exec-operations';
import { streamOperations } from './exec-stream';
import { podOperations } from './pod-operations';
import { resourceOperations } from './resource-operations';
import { defaultRetryPolicy, type RetryPolicy } from './retry';

/** Options of {@link createJdClient}; everything but endpoint and credentials has a default. */
export interface JdClientOptions {
  /** `https://pod.jdcloud-api.com` or an emulator's origin; a trailing `/` is ignored. */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The transport; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called after every HTTP attempt, e.g. to count JD Cloud calls. */
  onCall?: (op: string, info: JdCallInfo) => void;
  /** Clock in ms (also the signing date); default `Date.now`. */
  now?: () => number;
  /** Backoff wait; default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** Timer behind per-attempt timeouts; returns its cancel function. Default `setTimeout`. */
  setTimer?: (fn: () => void, ms: number) => () => void;
  /** In [0, 1), for backoff jitter; default `Math.random`. */
  random?: () => number;
  /** `x-jdcloud-nonce` source; default `crypto.randomUUID`. */
  nonce?: () => string;
  /** The JD call budget asked before every attempt; default none (calls go out at once). */
  budget?: JdCallBudget;
  /** Tags every call's JdCallInfo (e.g. `follow`: the reads of a `logs -f` loop). */
  tag?: string;
}

type JdOperations = ReturnType<typeof podOperations> &
  ReturnType<typeof resourceOperations> &
  ReturnType<typeof execOperations> &
  ReturnType<typeof streamOperations>;

/** A JD Cloud pod-service client. */
export type JdClient = JdOperations & {
  /**
   * The same client, its calls asking the budget at `priority` instead of the default (reads
   * `read`, writes `action`), e.g. `jd.withPriority('sync').listAllPods(…)` for a background
   * refresh.
   */
  withPriority(priority: JdCallPriority): JdClient;
};

const DEFAULT_TIMEOUT_MS = 10_000;

/** Creates a client; see {@link JdClientOptions} for the defaults. */
export function createJdClient(options: JdClientOptions): JdClient {
  const settings: JdCallSettings = {
    endpoint: options.endpoint.replace(/\/+$/, ''),
    credentials: options.credentials,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: {
      ...defaultRetryPolicy,
      // An explicit `undefined` keeps the default rather than disabling the limit.
      ...Object.fromEntries(Object.entries(options.retry ?? {}).filter(([, v]) => v !== undefined)),
    },
    env: {
      // Bound, because Workers' fetch throws "Illegal invocation" when called detached.
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      now: options.now ?? Date.now,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      setTimer:
        options.setTimer ??
        ((fn, ms) => {
          const handle = setTimeout(fn, ms);
          return () => clearTimeout(handle);
        }),
      random: options.random ?? Math.random,
      nonce: options.nonce ?? (() => crypto.randomUUID()),
    },
    ...(options.onCall ? { onCall: options.onCall } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.tag === undefined ? {} : { tag: options.tag }),
  };
  const clientAt = (priority: JdCallPriority | undefined): JdClient => {
    const run = <T>(op: JdOperation<T>) => runOperation(settings, op, priority);
    return {
      ...podOperations(run),
      ...resourceOperations(run),
      ...execOperations(run),
      ...streamOperations(settings),
      withPriority: (next) => clientAt(next),
    };
  };
  return clientAt(undefined);
}

/**
 * A client for the gateway's configuration (`configFor(env).jdcloud`), or `undefined` while the
 * credentials are not configured (pod routes then answer 503).
 */
export function jdClientFromConfig(
  jdcloud: Config['jdcloud'],
  options: Omit<JdClientOptions, 'endpoint' | 'credentials'> = {},
): JdClient | undefined {
  if (!jdcloud.credentials) return undefined;
  return createJdClient({
    ...(jdcloud.timeoutMs === undefined ? {} : { timeoutMs: jdcloud.timeoutMs }),
    ...options,
    retry: { budgetMs: jdcloud.retryBudgetMs, ...options.retry },
    endpoint: jdcloud.endpoint,
    credentials: jdcloud.credentials,
  });
}
