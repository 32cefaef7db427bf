/**
 * Role-based authorization over pods, modelled on Kubernetes RBAC: an action maps to a verb on a
 * resource (`pods`, or a subresource such as `pods/log`), a role grants verbs, and the grant
 * applies to the principal's namespaces. Refusals carry the apiserver's message word for word.
 */
import type { Principal, Role } from './principal';

/** What a route does. Subresource actions name the HTTP surface, not the RBAC verb. */
export type PodAction =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'log'
  | 'start'
  | 'stop'
  | 'exec'
  | 'attach'
  | 'get-events'
  | 'list-events'
  | 'watch-events';

/**
 * The RBAC verb and resource each action is checked as. `log` is `get` on `pods/log`, as in
 * Kubernetes. `start`/`stop` are POSTs that make something happen, which Kubernetes models as
 * `create` on a subresource (like `pods/eviction` or `pods/exec`).
 */
export const RBAC_ATTRIBUTES: Record<PodAction, { verb: string; resource: string }> = {
  get: { verb: 'get', resource: 'pods' },
  list: { verb: 'list', resource: 'pods' },
  watch: { verb: 'watch', resource: 'pods' },
  create: { verb: 'create', resource: 'pods' },
  update: { verb: 'update', resource: 'pods' },
  patch: { verb: 'patch', resource: 'pods' },
  delete: { verb: 'delete', resource: 'pods' },
  deletecollection: { verb: 'deletecollection', resource: 'pods' },
  log: { verb: 'get', resource: 'pods/log' },
  start: { verb: 'create', resource: 'pods/start' },
  stop: { verb: 'create', resource: 'pods/stop' },
  // The WebSocket GET of exec and attach is authorized as `create`, as the apiserver does.
  exec: { verb: 'create', resource: 'pods/exec' },
  attach: { verb: 'create', resource: 'pods/attach' },
  // Events are podgate's record of what happened to pods: readable by whoever reads pods.
  'get-events': { verb: 'get', resource: 'events' },
  'list-events': { verb: 'list', resource: 'events' },
  'watch-events': { verb: 'watch', resource: 'events' },
};

const VIEW: readonly PodAction[] = [
  'get',
  'list',
  'watch',
  'log',
  'get-events',
  'list-events',
  'watch-events',
];
const EDIT: readonly PodAction[] = [
  ...VIEW,
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'start',
  'stop',
  'exec',
  'attach',
];

/** The actions each role allows; `admin` differs from `edit` only in applying everywhere. */
export const ROLE_ACTIONS: Record<Role, ReadonlySet<PodAction>> = {
  view: new Set(VIEW),
  edit: new Set(EDIT),
  admin: new Set(EDIT),
};

/** The actions that change something: these are the ones audited. */
export const isMutation = (action: PodAction) => !VIEW.includes(action);

export type Decision = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether `principal` may do `action` in `namespace` (`undefined`: across all
 * namespaces, e.g. `GET /api/v1/pods`, which needs a cluster-wide grant).
 * The refusal reason is the authorizer's sentence:
 * `User "ci-bot" cannot patch resource "pods" in API group "" in the namespace "staging"`.
 */
export function authorize(
  principal: Principal,
  action: PodAction,
  namespace: string | undefined,
): Decision {
  const inScope =
    principal.namespaces === '*' ||
    (namespace !== undefined && principal.namespaces.includes(namespace));
  if (inScope && ROLE_ACTIONS[principal.role].has(action)) return { allowed: true };
  const { verb, resource } = RBAC_ATTRIBUTES[action];
  const scope =
    namespace === undefined
      ? 'at the cluster scope'
      : `in the namespace ${JSON.stringify(namespace)}`;
  return {
    allowed: false,
    reason: `User ${JSON.stringify(principal.name)} cannot ${verb} resource ${JSON.stringify(resource)} in API group "" ${scope}`,
  };
}
