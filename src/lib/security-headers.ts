/**
 * Security headers for the HTML API reference at `/docs`: a nonce-based CSP that allows only the
 * Scalar bundle from jsDelivr and our own origin, no framing (`frame-ancestors 'none'`, clickjacking),
 * no MIME sniffing and no referrer leaking the docs URL.
 *
 * The docs route must pass the nonce to Scalar so its inline tags are allowed:
 * @example
 * app.get('/docs', docsSecurityHeaders(), Scalar((c) => ({ url: '/openapi.json', nonce: c.get('secureHeadersNonce') })))
 */
import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';

/** Where the Scalar reference loads its bundle from (`@scalar/client-side-rendering` default). */
const SCALAR_CDN = 'https://cdn.jsdelivr.net';

/** The headers middleware for `/docs`. */
export function docsSecurityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: [NONCE, SCALAR_CDN],
      // Scalar injects style elements at run time; styles cannot run code, scripts stay nonce-only.
      styleSrc: ["'self'", "'unsafe-inline'", SCALAR_CDN, 'https://fonts.scalar.com'],
      fontSrc: ["'self'", 'data:', 'https://fonts.scalar.com'],
      imgSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
  });
}
