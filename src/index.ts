/** Worker entry point: the HTTP app and the per-namespace Durable Object class. */
import { app } from './app';

export { NamespaceStore } from './store/namespace-store';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
