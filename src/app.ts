/** The gateway app: every route module mounted on the shared app shell. */
import { createApp } from './lib/create-app';
import { healthRoutes } from './routes/health';

export function buildApp() {
  const app = createApp();
  app.route('/', healthRoutes);
  return app;
}

export const app = buildApp();
