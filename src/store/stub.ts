/** The Worker's handle on a namespace's Durable Object. */
import type { NamespaceStore } from './namespace-store';

/** The store methods the routes call (RPC results are plain data: StoreResults and streams). */
export type StoreApi = Pick<
  NamespaceStore,
  | 'create'
  | 'get'
  | 'list'
  | 'delete'
  | 'power'
  | 'logs'
  | 'catalogue'
  | 'current'
  | 'write'
  | 'watch'
  | 'closeWatch'
  | 'streamTarget'
  | 'listEvents'
  | 'getEvent'
  | 'watchEvents'
>;

/**
 * The namespace's Durable Object. RPC's mapped stub types lose the StoreResult unions, so the
 * stub is viewed through the class's own method signatures (what RPC actually carries).
 */
export const storeOf = (env: Env, namespace: string): StoreApi =>
  env.NAMESPACES.get(env.NAMESPACES.idFromName(namespace)) as unknown as StoreApi;
