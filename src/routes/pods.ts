/** The Pod API: routes (pods.routes.ts) wired to handlers (pods.handlers.ts). */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/create-app';
import {
  handleCreate,
  handleDelete,
  handleListAll,
  handleListNamespaced,
  handleLog,
  handleRead,
  handleStart,
  handleStop,
} from './pods.handlers';
import * as routes from './pods.routes';
import { handlePatch, handleReplace } from './pods.update';

export const podRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.listAllPods, handleListAll)
  .openapi(routes.listNamespacedPods, handleListNamespaced)
  .openapi(routes.createPod, handleCreate)
  .openapi(routes.readPod, handleRead)
  .openapi(routes.readPodStatus, handleRead)
  .openapi(routes.deletePod, handleDelete)
  .openapi(routes.replacePod, handleReplace)
  .openapi(routes.patchPod, handlePatch)
  .openapi(routes.readPodLog, handleLog)
  .openapi(routes.stopPod, handleStop)
  .openapi(routes.startPod, handleStart);
