/**
 * Fault injection: the next N calls of an operation fail with a JD error, are delayed, hang
 * until the client gives up, or lose their connection — all before JD acts — or act and then
 * answer late (`delayAfterMs`), or act and hold the answer until a test releases it
 * (`holdAfter`). Armed through `POST /__emulator/faults`.
 */
import * as z from 'zod';
import { errorResponse, JD_STATUS, JdError, type JdStatus, statusForCode } from './envelope';
import { OPERATIONS } from './routes';

/** What an armed fault does to a call. */
export type FaultAction =
  | { kind: 'status'; code: number; status: JdStatus; message: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang'; ms: number }
  | { kind: 'drop' }
  /** Acts, then answers `ms` later: JD did the work, the caller hears late (or never). */
  | { kind: 'delayAfter'; ms: number }
  /** Acts, then holds the answer until released (see held.ts), at most `ms`. */
  | { kind: 'holdAfter'; ms: number };

/** Fault kinds that let the call act first. */
export type AfterActingFault = Extract<FaultAction, { kind: 'delayAfter' | 'holdAfter' }>;

export const actsFirst = (action: FaultAction): action is AfterActingFault =>
  action.kind === 'delayAfter' || action.kind === 'holdAfter';

/** A hang lasts this long unless the fault says otherwise: longer than any sane client timeout. */
export const DEFAULT_HANG_MS = 5 * 60 * 1000;

/**
 * The body of `POST /__emulator/faults`. Exactly one of status, delayMs, hang, drop (before
 * acting), delayAfterMs, holdAfter (after acting). `hangMs` bounds a hang or a hold.
 */
export const faultRequest = z
  .object({
    operation: z
      .string()
      .refine((op) => op === '*' || OPERATIONS.has(op), 'must be a JD operation id or *'),
    count: z.number().int().min(1).default(1),
    status: z.number().int().min(400).max(599).optional(),
    errorStatus: z.enum(Object.keys(JD_STATUS) as [JdStatus, ...JdStatus[]]).optional(),
    message: z.string().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    hang: z.boolean().optional(),
    hangMs: z.number().int().min(1).max(3_600_000).optional(),
    drop: z.boolean().optional(),
    delayAfterMs: z.number().int().min(0).max(600_000).optional(),
    holdAfter: z.boolean().optional(),
  })
  .refine(
    (f) =>
      [
        f.status !== undefined,
        f.delayMs !== undefined,
        f.hang,
        f.drop,
        f.delayAfterMs !== undefined,
        f.holdAfter,
      ].filter(Boolean).length === 1,
    'give exactly one of status, delayMs, hang: true, drop: true, delayAfterMs, holdAfter: true',
  );

/** Turns a validated fault request into the action stored with it. */
export function faultAction(f: z.infer<typeof faultRequest>): FaultAction {
  if (f.status !== undefined) {
    const status = f.errorStatus ?? statusForCode(f.status);
    return { kind: 'status', code: f.status, status, message: f.message ?? `injected ${status}` };
  }
  if (f.delayMs !== undefined) return { kind: 'delay', ms: f.delayMs };
  if (f.hang) return { kind: 'hang', ms: f.hangMs ?? DEFAULT_HANG_MS };
  if (f.delayAfterMs !== undefined) return { kind: 'delayAfter', ms: f.delayAfterMs };
  if (f.holdAfter) return { kind: 'holdAfter', ms: f.hangMs ?? DEFAULT_HANG_MS };
  return { kind: 'drop' };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Serves a fault before the call acts. `undefined` means the call proceeds (after a delay, or
 * to be held or delayed once it has acted); otherwise the response to send instead.
 */
export async function serveFault(
  action: FaultAction,
  requestId: string,
): Promise<Response | undefined> {
  switch (action.kind) {
    case 'delayAfter':
    case 'holdAfter':
      return undefined;
    case 'delay':
      await sleep(action.ms);
      return undefined;
    case 'status':
      return errorResponse(requestId, new JdError(action.status, action.message, action.code));
    case 'hang':
      await sleep(action.ms);
      return errorResponse(requestId, new JdError('UNAVAILABLE', 'injected hang ended'));
    case 'drop':
      return droppedConnection();
  }
}

/**
 * A response whose body fails after the headers: workerd then resets the stream, so the client
 * sees a network error (node-fetch "premature close", undici "terminated") instead of an answer.
 */
function droppedConnection(): Response {
  const body = new ReadableStream({
    pull(controller) {
      controller.error(new Error('connection dropped by fault injection'));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}
