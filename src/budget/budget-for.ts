/**
 * The handle on the gateway-wide JD call budget (jd-budget.ts) that a JD client asks: kept apart
 * from the Durable Object class so that the Worker's routes can use it without importing
 * `cloudflare:workers`.
 */
import type { JdCallBudget } from '../jdcloud/budget';
import type { JdBudget } from './jd-budget';
import { type LeasedBudgetOptions, leasedBudget } from './leased-budget';

/** The name of the one budget object. */
export const BUDGET_INSTANCE = 'global';

/** The budget a JD client asks (namespace objects, exec, logs -f), or `undefined` without the binding. */
export function jdBudgetFor(
  env: { JD_BUDGET?: DurableObjectNamespace<JdBudget> },
  patienceMs?: LeasedBudgetOptions['patienceMs'],
): JdCallBudget | undefined {
  const binding = env.JD_BUDGET;
  if (!binding) return undefined;
  const stub = () => binding.get(binding.idFromName(BUDGET_INSTANCE));
  let warned = false;
  return leasedBudget(
    {
      lease: (request) => stub().lease(request),
      rateLimited: (ms) => stub().rateLimited(ms),
    },
    {
      ...(patienceMs ? { patienceMs } : {}),
      onUnreachable: (error) => {
        if (warned) return;
        warned = true;
        console.warn(
          JSON.stringify({
            message: 'JD call budget unreachable; calling JD unbudgeted',
            error: String(error),
          }),
        );
      },
    },
  );
}
