/**
 * The gateway's JD call budget (the `JdBudget` object) in Workers tests: set its rules, empty
 * it, read its usage, and move its clock together with the emulator's, so a window of JD's rate
 * limit passes without waiting a minute.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { BUDGET_INSTANCE } from '../../src/budget/budget-for';
import type { BudgetUsage, JdBudget } from '../../src/budget/jd-budget';
import { defaultRules } from '../../src/budget/rules';
import { emulator } from './gateway';

const stub = () => env.JD_BUDGET.get(env.JD_BUDGET.idFromName(BUDGET_INSTANCE));

export const jdBudget = {
  /** An empty budget of `perMinute` calls (the default rules otherwise), on the wall clock. */
  reset: (perMinute: number) =>
    runInDurableObject(stub(), (instance: JdBudget, state) => {
      instance.rules = defaultRules(perMinute);
      instance.clockOffsetMs = 0;
      state.storage.kv.delete('budget');
    }),
  usage: (): Promise<BudgetUsage> =>
    runInDurableObject(stub(), (instance: JdBudget) => instance.usage()),
  /** Moves the budget's clock and the emulator's by `ms`. */
  async advance(ms: number): Promise<void> {
    await runInDurableObject(stub(), (instance: JdBudget) => {
      instance.clockOffsetMs += ms;
    });
    await emulator.advance(ms);
  },
};
