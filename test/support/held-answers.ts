/**
 * "JD has done the work, the answer is late": holds the emulator's answer to the next call of a
 * JD operation until the test releases it, so a Workers test can interleave requests with a JD
 * call that has already acted (see the emulator's `holdAfter` fault and `/__emulator/held`).
 *
 * @example
 * const gate = await holdAfterActing('deletePod');
 * const deleting = api('DELETE', '/api/v1/namespaces/default/pods/web');
 * await gate.acted();                  // JD has deleted; podgate has not heard back
 * await api('PATCH', …);               // a write that races the answer
 * await gate.release();
 * expect((await deleting).status).toBe(200);
 *
 * The gateway still applies its JD timeout (PODGATE_JD_TIMEOUT_MS, 500 ms in the `workers`
 * project) to the held call: release within it for "the answer came late", or leave the call
 * held past it for "JD did the work and podgate never heard" (the client's timeout fires).
 */
import { emulator, type HeldCall } from './gateway';

/** A held answer: wait until the call has acted, then let its answer go. */
export interface HeldAnswer {
  /** Resolves once the emulator has acted on the call and is holding its answer. */
  acted(): Promise<HeldCall>;
  /** Sends the held answer (a no-op if it was released or already sent). */
  release(): Promise<void>;
}

/** How long `acted()` waits for the call to reach the emulator before failing the test. */
const ACTED_WITHIN_MS = 10_000;

/** Arms a hold on the next call of `operation` (a JD operation id, e.g. `stopPod`). */
export async function holdAfterActing(operation: string): Promise<HeldAnswer> {
  await emulator.fault(operation, { holdAfter: true, hangMs: 60_000 });
  let heldCall: HeldCall | undefined;
  return {
    async acted() {
      heldCall ??= (await emulator.held(operation, ACTED_WITHIN_MS))[0];
      if (!heldCall) {
        throw new Error(`no ${operation} call reached the emulator within ${ACTED_WITHIN_MS} ms`);
      }
      return heldCall;
    },
    async release() {
      const call = heldCall ?? (await emulator.held(operation, 0))[0];
      if (call) await emulator.release(call.id);
      else await emulator.clearFaults();
    },
  };
}
