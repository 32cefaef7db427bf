/**
 * Security headers for the API reference at `/docs` (Swagger UI): a CSP that runs only our own
 * scripts (the Swagger UI file and the page's one nonce'd inline starter), talks only to our own
 * origin, forbids framing (`frame-ancestors 'none'`, clickjacking), plus no MIME sniffing and no
 * referrer leaking the docs URL.
 *
 * The docs route puts the nonce on its inline script:
 * @example
 * app.get('/docs', docsSecurityHeaders(), (c) => c.html(`<script nonce="${c.get('secureHeadersNonce')}">…`))
 */
import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';

/** The headers middleware for `/docs`. */
export function docsSecurityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'", NONCE],
      // Swagger UI sets element styles at run time; styles cannot run code.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
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
