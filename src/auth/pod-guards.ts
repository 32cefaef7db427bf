/**
 * The middleware every pod API route sits behind, in the order that matters:
 * audit (outermost, so refusals are recorded too) → authenticate (401/503) → per-caller rate
 * limit (429) → body size (413). Authorization is per route: handlers call `requireGrant()`.
 */
import type { MiddlewareHandler } from 'hono';
import { auditMutations } from '../lib/audit';
import type { AppEnv } from '../lib/create-app';
import { limitBody, type RateLimiter, rateLimit } from '../lib/limits';
import { authenticate } from './authenticate';
import type { JwtVerifierOptions } from './jwt';

export interface PodGuardOptions extends JwtVerifierOptions {
  /** Replaces the binding/in-memory limiter (tests). */
  rateLimiter?: RateLimiter;
}

/**
 * @example app.use('/api/*', ...podGuards())
 */
export function podGuards(options: PodGuardOptions = {}): MiddlewareHandler<AppEnv>[] {
  const { rateLimiter, ...jwt } = options;
  return [auditMutations(), authenticate(jwt), rateLimit(rateLimiter), limitBody()];
}
