/**
 * Which JD Cloud calls one store invocation made, for the audit line's `jdRequestId`. A Durable
 * Object interleaves requests at every await, so the ids are collected in an AsyncLocalStorage
 * context per invocation rather than on the object.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const calls = new AsyncLocalStorage<string[]>();

/** Runs `work`, appending the request id of every JD call it makes to `ids` (even if it throws). */
export function collectJdRequestIds<T>(ids: string[], work: () => Promise<T>): Promise<T> {
  return calls.run(ids, work);
}

/** The JD client's `onCall` hook: notes a call's request id in the current invocation. */
export function recordJdRequestId(requestId: string | undefined): void {
  if (requestId) calls.getStore()?.push(requestId);
}
