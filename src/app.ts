/** The gateway app: every route module mounted on the shared app shell. */
import { podGuards } from './auth/pod-guards';
import { createApp } from './lib/create-app';
import { accessReviewRoutes } from './routes/access-reviews';
import { discoveryRoutes } from './routes/discovery';
import { docsRoutes } from './routes/docs';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { nodeRoutes } from './routes/nodes';
import { openApiRoutes } from './routes/openapi';
import { openApiTextsOf, registerApiComponents } from './routes/openapi-document';
import { podStreamRoutes } from './routes/pod-streams';
import { podRoutes } from './routes/pods';
import { watchRoutes } from './routes/watch';

export function buildApp() {
  const app = createApp();
  // Everything under /api (discovery and pods) needs a caller: audit, 401/503, 429, 413.
  // Registered before the routes so it runs first; handlers still call requireGrant().
  // /healthz and /readyz stay open for load balancers.
  app.use('/api/*', ...podGuards());
  // The named groups (`kubectl auth can-i`, `whoami`) and their discovery, likewise.
  app.use('/apis/*', ...podGuards());
  // kubectl's OpenAPI fetches carry its credentials, as they do against an apiserver.
  app.use('/openapi/*', ...podGuards());
  app.route('/', healthRoutes);
  app.route('/', discoveryRoutes);
  app.route('/', accessReviewRoutes);
  app.route('/', nodeRoutes);
  // Events, read-only (core/v1 and events.k8s.io/v1); not in the Pod API's OpenAPI document.
  app.route('/', eventRoutes);
  // Before the pod routes: it answers `watch=true` list requests and passes the rest on.
  app.route('/', watchRoutes);
  // exec, attach and the subresources JD Cloud cannot serve; not in the OpenAPI document.
  app.route('/', podStreamRoutes);
  app.route('/', podRoutes);
  // The document covers every route mounted on `app`, but is built only on first request.
  registerApiComponents(app);
  const texts = openApiTextsOf(app);
  app.route('/', openApiRoutes(texts));
  app.route('/', docsRoutes);
  return app;
}

export const app = buildApp();
