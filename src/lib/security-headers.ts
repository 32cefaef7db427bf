/**
 * Security headers for the HTML API reference at `/docs`, which is server-rendered with no
 * script at all: a CSP that runs no script, allows only the page's one nonce'd inline style,
 * forbids framing (`frame-ancestors 'none'`, clickjacking), plus no MIME sniffing and no
 * referrer leaking the docs URL.
 *
 * The docs route puts the nonce on its style element:
 * @example
 * app.get('/docs', docsSecurityHeaders(), (c) => c.html(`<style nonce="${c.get('secureHeadersNonce')}">…`))
 */
import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';

/** The headers middleware for `/docs`. */
export function docsSecurityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'none'"],
      styleSrc: [NONCE],
      imgSrc: ["'self'", 'data:'],
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
