/**
 * The emulator's one Durable Object: all state (pods, tokens, nonces, faults, call log) lives in
 * its SQLite storage, so pods survive a restart of `npm start`, and one instance serialises every
 * call the way a single JD control plane would.
 */
import { DurableObject } from 'cloudflare:workers';
import { CONTROL_PREFIX, handleControl } from './control';
import { errorResponse, JdError, newRequestId } from './envelope';
import { LiveStreams } from './exec-session';
import { HeldAnswers } from './held';
import { type EmulatorRuntime, handleJdCall } from './jd-call';
import { CallRateLimiter } from './rate-limit';
import { EmulatorStore } from './storage';

export class EmulatorState extends DurableObject<EmulatorEnv> {
  private readonly store: EmulatorStore;
  private readonly runtime: EmulatorRuntime = {
    held: new HeldAnswers(),
    rateLimiter: new CallRateLimiter(),
    streams: new LiveStreams(),
  };

  constructor(ctx: DurableObjectState, env: EmulatorEnv) {
    super(ctx, env);
    this.store = new EmulatorStore(ctx.storage.sql);
  }

  override async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(CONTROL_PREFIX)) {
      const answer =
        this.env.EMULATOR_CONTROL === 'on'
          ? await handleControl(request, this.store, this.env, this.runtime)
          : undefined;
      return (
        answer ??
        errorResponse(
          newRequestId(),
          new JdError('NOT_FOUND', `no API ${request.method} ${pathname}`),
        )
      );
    }
    return handleJdCall(request, this.store, this.env, this.runtime);
  }
}
