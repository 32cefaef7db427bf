import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier, JwtRejected, type JwtVerifierOptions, looksLikeJwt } from './jwt';
import type { JwtSettings } from './settings';

const NOW = new Date('2026-11-20T12:00:00Z');
const now = () => NOW;
const at = (offsetSeconds: number) => Math.floor(NOW.getTime() / 1000) + offsetSeconds;
const SECRET = 'an-hs256-secret-of-at-least-32-characters!';
const JWKS_URL = 'https://issuer.example.com/.well-known/jwks.json';

const settings: JwtSettings = {
  jwksUrl: JWKS_URL,
  hs256Secret: SECRET,
  issuer: 'https://issuer.example.com/',
  audience: 'podgate',
  claims: { user: 'sub', role: 'podgate/role', namespaces: 'podgate/namespaces' },
  clockToleranceSeconds: 30,
};

const claims = (over: JWTPayload = {}): JWTPayload => ({
  iss: settings.issuer,
  aud: settings.audience,
  sub: 'alice',
  iat: at(-60),
  exp: at(600),
  'podgate/role': 'edit',
  'podgate/namespaces': ['staging'],
  ...over,
});

let rsa: CryptoKeyPair;
let ec: CryptoKeyPair;
let stranger: CryptoKeyPair;
let jwks: { keys: object[] };

beforeAll(async () => {
  rsa = await generateKeyPair('RS256');
  ec = await generateKeyPair('ES256');
  stranger = await generateKeyPair('RS256');
  jwks = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ],
  };
});

/** A JWKS endpoint in memory that counts its hits; no network. */
function fakeJwksFetch() {
  const hits: string[] = [];
  const fetch: JwtVerifierOptions['fetch'] = async (url) => {
    hits.push(url);
    return Response.json(jwks);
  };
  return { hits, fetch };
}

const hs256 = (payload: JWTPayload, secret = SECRET) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
const signed = (payload: JWTPayload, key: CryptoKey, alg: 'RS256' | 'ES256', kid: string) =>
  new SignJWT(payload).setProtectedHeader({ alg, kid }).sign(key);

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(JwtRejected);
    return (err as Error).message;
  }
  throw new Error('expected the token to be rejected');
}

describe('createJwtVerifier', () => {
  it('accepts an HS256 token and reads the principal from the configured claims', async () => {
    const verify = createJwtVerifier(settings, { now, ...fakeJwksFetch() });
    expect(await verify(await hs256(claims()))).toEqual({
      name: 'alice',
      role: 'edit',
      namespaces: ['staging'],
      via: 'jwt',
    });
  });

  it('accepts RS256 and ES256 tokens from the JWKS, fetching it once per verifier', async () => {
    const jwksServer = fakeJwksFetch();
    const verify = createJwtVerifier(settings, { now, fetch: jwksServer.fetch });
    expect(await verify(await signed(claims(), rsa.privateKey, 'RS256', 'rsa-1'))).toMatchObject({
      name: 'alice',
    });
    const admin = claims({ sub: 'bob', 'podgate/role': 'admin', 'podgate/namespaces': [] });
    expect(await verify(await signed(admin, ec.privateKey, 'ES256', 'ec-1'))).toMatchObject({
      name: 'bob',
      namespaces: '*',
    });
    expect(jwksServer.hits).toEqual([JWKS_URL]);
  });

  it('refuses an expired token, allowing only the configured clock skew', async () => {
    const verify = createJwtVerifier(settings, { now });
    expect(await verify(await hs256(claims({ exp: at(-29) })))).toMatchObject({ name: 'alice' });
    expect(await rejection(verify(await hs256(claims({ exp: at(-31) }))))).toMatch(
      /ERR_JWT_EXPIRED/,
    );
  });

  it('refuses a token without an expiry', async () => {
    const { exp: _, ...forever } = claims();
    expect(await rejection(createJwtVerifier(settings, { now })(await hs256(forever)))).toMatch(
      /"exp" claim/,
    );
  });

  it('refuses a token that is not yet valid', async () => {
    const early = await hs256(claims({ nbf: at(120) }));
    expect(await rejection(createJwtVerifier(settings, { now })(early))).toMatch(/"nbf"/);
  });

  it('refuses the wrong audience and the wrong issuer', async () => {
    const verify = createJwtVerifier(settings, { now });
    expect(await rejection(verify(await hs256(claims({ aud: 'someone-else' }))))).toMatch(/"aud"/);
    expect(await rejection(verify(await hs256(claims({ iss: 'https://evil.example/' }))))).toMatch(
      /"iss"/,
    );
  });

  it('refuses a bad signature, an unknown key and an unsigned token', async () => {
    const verify = createJwtVerifier(settings, { now, ...fakeJwksFetch() });
    expect(await rejection(verify(await hs256(claims(), `${SECRET}x`)))).toMatch(
      /signature verification failed/,
    );
    const foreign = await signed(claims(), stranger.privateKey, 'RS256', 'rsa-1');
    expect(await rejection(verify(foreign))).toMatch(/signature verification failed/);
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const body = Buffer.from(JSON.stringify(claims())).toString('base64url');
    expect(await rejection(verify(`${header}.${body}.`))).toMatch(/algorithm "none"/);
  });

  it('refuses an algorithm whose key source is not configured', async () => {
    const { hs256Secret: _, ...jwksOnly } = settings;
    const verify = createJwtVerifier(jwksOnly, { now, ...fakeJwksFetch() });
    expect(await rejection(verify(await hs256(claims())))).toMatch(/algorithm "HS256"/);
  });

  it('refuses tokens without a usable user or role, and reads a "*" namespace claim', async () => {
    const verify = createJwtVerifier(settings, { now });
    expect(await rejection(verify(await hs256(claims({ sub: '' }))))).toMatch(/claim "sub"/);
    expect(await rejection(verify(await hs256(claims({ 'podgate/role': 'owner' }))))).toMatch(
      /claim "podgate\/role" must be one of view, edit, admin/,
    );
    expect(
      await rejection(verify(await hs256(claims({ 'podgate/namespaces': 'staging' })))),
    ).toMatch(/claim "podgate\/namespaces"/);
    const everywhere = await hs256(claims({ 'podgate/role': 'view', 'podgate/namespaces': '*' }));
    expect(await verify(everywhere)).toMatchObject({ role: 'view', namespaces: '*' });
  });

  it('uses the configured claim names', async () => {
    const custom = { ...settings, claims: { user: 'email', role: 'grp', namespaces: 'ns' } };
    const token = await hs256(
      claims({ email: 'carol@example.com', grp: 'view', ns: ['default', 'default'] }),
    );
    expect(await createJwtVerifier(custom, { now })(token)).toEqual({
      name: 'carol@example.com',
      role: 'view',
      namespaces: ['default'],
      via: 'jwt',
    });
  });
});

describe('looksLikeJwt', () => {
  it('tells compact JWS from opaque tokens', () => {
    expect(looksLikeJwt('aaa.bbb.ccc')).toBe(true);
    expect(looksLikeJwt('podgate-dev-admin')).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
  });
});
