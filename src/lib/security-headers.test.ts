import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { docsSecurityHeaders } from './security-headers';

describe('docsSecurityHeaders', () => {
  const app = new Hono<{ Variables: { secureHeadersNonce?: string } }>();
  app.get('/docs', docsSecurityHeaders(), (c) =>
    c.html(`<script nonce="${c.get('secureHeadersNonce')}"></script>`),
  );

  it('sends a CSP that runs only our own scripts, talks only to us and forbids framing', async () => {
    const res = await app.request('/docs');
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await res.text()).toContain(`nonce="${nonce}"`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('https:');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
  });

  it('uses a fresh nonce on every response', async () => {
    const nonceOf = async () =>
      /'nonce-([^']+)'/.exec(
        (await app.request('/docs')).headers.get('Content-Security-Policy') ?? '',
      )?.[1];
    expect(await nonceOf()).not.toBe(await nonceOf());
  });
});
