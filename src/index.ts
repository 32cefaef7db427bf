/** Worker entry point: the HTTP app and the per-namespace Durable Object class. */
import { app } from './app';

export { JdBudget } from './budget/jd-budget';
export { NamespaceStore } from './store/namespace-store';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
