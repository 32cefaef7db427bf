import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEV_TOKEN_HASHES } from './auth/settings';
import { ConfigError, configFor, parseConfig } from './config';

const local = parseEnv(readFileSync('config/local.env', 'utf8'));
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('parseConfig', () => {
  it('reads the local configuration', () => {
    const config = parseConfig(local);
    expect(config.env).toBe('local');
    expect(config.jdcloud.endpoint).toBe('http://127.0.0.1:8788');
    expect(config.jdcloud.credentials?.accessKeyId).toBe('podgate-dev-ak');
    expect([...config.namespaces.keys()]).toEqual(['default', 'staging']);
    expect(config.namespaces.get('staging')).toMatchObject({
      regionId: 'cn-east-2',
      az: 'cn-east-2a',
      systemDisk: { diskType: 'ssd.gp1', sizeGB: 20 },
    });
  });

  it('defaults to production against the public JD Cloud endpoint', () => {
    const config = parseConfig({});
    expect(config.env).toBe('production');
    expect(config.jdcloud.endpoint).toBe('https://pod.jdcloud-api.com');
    expect(config.jdcloud.credentials).toBeUndefined();
    expect(config.namespaces.size).toBe(0);
  });

  it('reads the JD call timeout and retry budget, defaulting to 10 s and 20 s', () => {
    expect(parseConfig({}).jdcloud).toMatchObject({ timeoutMs: 10_000, retryBudgetMs: 20_000 });
    const tuned = parseConfig({ PODGATE_JD_TIMEOUT_MS: '500', PODGATE_JD_RETRY_BUDGET_MS: '0' });
    expect(tuned.jdcloud).toMatchObject({ timeoutMs: 500, retryBudgetMs: 0 });
    expect(() => parseConfig({ PODGATE_JD_TIMEOUT_MS: '5' })).toThrow(/PODGATE_JD_TIMEOUT_MS/);
  });

  it('reads the gateway-wide JD call budget, defaulting to 600 calls per minute', () => {
    expect(parseConfig({}).jdcloud.callsPerMinute).toBe(600);
    expect(parseConfig({ PODGATE_JD_CALLS_PER_MINUTE: '900' }).jdcloud.callsPerMinute).toBe(900);
    expect(() => parseConfig({ PODGATE_JD_CALLS_PER_MINUTE: '0' })).toThrow(
      /PODGATE_JD_CALLS_PER_MINUTE/,
    );
    expect(() => parseConfig({ PODGATE_JD_CALLS_PER_MINUTE: 'lots' })).toThrow(
      /PODGATE_JD_CALLS_PER_MINUTE/,
    );
  });

  it('names the key of a bad namespace setting', () => {
    const bad = JSON.stringify({
      default: { regionId: 'cn-north-1', az: 'cn-east-2a', subnetId: 'subnet-a' },
    });
    expect(() => parseConfig({ PODGATE_NAMESPACES: bad })).toThrow(
      /PODGATE_NAMESPACES\.default\.az: must be an availability zone of regionId/,
    );
  });

  it('reads the network allow-list, allowing only the defaults unless it lists more', () => {
    const ns = { regionId: 'cn-north-1', az: 'cn-north-1a', subnetId: 'subnet-a' };
    const plain = parseConfig({ PODGATE_NAMESPACES: JSON.stringify({ default: ns }) });
    expect(plain.namespaces.get('default')).toMatchObject({
      allowedSubnetIds: [],
      allowedSecurityGroupIds: [],
      allowedElasticIpProviders: [],
    });
    const bad = JSON.stringify({ default: { ...ns, allowedSubnetIds: ['net-1'] } });
    expect(() => parseConfig({ PODGATE_NAMESPACES: bad })).toThrow(
      /PODGATE_NAMESPACES\.default\.allowedSubnetIds\.0: must be a subnet id/,
    );
  });

  it('names the key when the namespace map is not JSON', () => {
    expect(() => parseConfig({ PODGATE_NAMESPACES: '{oops' })).toThrow(
      /PODGATE_NAMESPACES: must be valid JSON/,
    );
  });

  it('names the missing half of the credentials without printing the other', () => {
    let error: unknown;
    try {
      parseConfig({ JDCLOUD_ACCESS_KEY_ID: 'AK', JDCLOUD_SECRET_ACCESS_KEY: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/JDCLOUD_SECRET_ACCESS_KEY: must be set together/);
  });

  it('rejects an endpoint that is not http(s)', () => {
    expect(() => parseConfig({ JDCLOUD_ENDPOINT: 'ftp://x' })).toThrow(/JDCLOUD_ENDPOINT/);
  });
});

describe('configFor', () => {
  it('parses once per env object', () => {
    const env = { ...local };
    expect(configFor(env)).toBe(configFor(env));
  });

  it('keeps failing for a bad env', () => {
    const env = { PODGATE_ENV: 'staging' };
    expect(() => configFor(env)).toThrow(/PODGATE_ENV/);
    expect(() => configFor(env)).toThrow(/PODGATE_ENV/);
  });
});

describe('security settings', () => {
  const token = (over: Record<string, unknown> = {}) =>
    JSON.stringify([
      { name: 'ci-bot', sha256: 'AB'.repeat(32), role: 'edit', namespaces: ['staging'], ...over },
    ]);
  const jwt = {
    PODGATE_JWT_ISSUER: 'https://issuer.example.com/',
    PODGATE_JWT_AUDIENCE: 'podgate',
    PODGATE_JWT_JWKS_URL: 'https://issuer.example.com/jwks.json',
  };

  it('reads the local dev tokens as admin everywhere and view on default', () => {
    const { auth, cors } = parseConfig(local);
    expect(auth.tokens).toEqual([
      { name: 'dev-admin', sha256: sha256Hex('podgate-dev-admin'), role: 'admin', namespaces: '*' },
      {
        name: 'dev-viewer',
        sha256: sha256Hex('podgate-dev-viewer'),
        role: 'view',
        namespaces: ['default'],
      },
    ]);
    expect(auth.jwt).toBeUndefined();
    expect([...cors.origins]).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });

  it('knows the dev token hashes it refuses in production', () => {
    expect([...DEV_TOKEN_HASHES].sort()).toEqual(
      [sha256Hex('podgate-dev-admin'), sha256Hex('podgate-dev-viewer')].sort(),
    );
    expect(() => parseConfig({ ...local, PODGATE_ENV: 'production' })).toThrow(
      /PODGATE_TOKENS: contains a local development token; not allowed in production/,
    );
  });

  it('defaults the limits and configures no callers', () => {
    const config = parseConfig({});
    expect(config.limits).toEqual({
      maxBodyBytes: 1048576,
      maxPatchOps: 1000,
      ratePerMinute: 600,
      maxWatchesPerCaller: 20,
    });
    expect(parseConfig({ PODGATE_MAX_WATCHES_PER_CALLER: '3' }).limits.maxWatchesPerCaller).toBe(3);
    expect(() => parseConfig({ PODGATE_MAX_WATCHES_PER_CALLER: '0' })).toThrow(
      /PODGATE_MAX_WATCHES_PER_CALLER/,
    );
    expect(config.auth).toEqual({ tokens: [] });
    expect(config.cors.anyOrigin).toBe(false);
  });

  it('lower-cases hashes and widens a ["*"] grant', () => {
    const [grant] = parseConfig({ PODGATE_TOKENS: token({ namespaces: ['*'] }) }).auth.tokens;
    expect(grant).toMatchObject({ sha256: 'ab'.repeat(32), namespaces: '*' });
  });

  it.each([
    [token({ sha256: 'abc' }), /PODGATE_TOKENS\.0\.sha256: must be the hex SHA-256/],
    [token({ role: 'owner' }), /PODGATE_TOKENS\.0\.role/],
    [token({ namespaces: [] }), /PODGATE_TOKENS\.0\.namespaces: must list the namespaces/],
    [token({ role: 'admin' }), /PODGATE_TOKENS\.0\.namespaces: admin applies to every namespace/],
    [token({ namespaces: ['Staging'] }), /PODGATE_TOKENS\.0\.namespaces\.0/],
    [token({ token: 'plaintext' }), /PODGATE_TOKENS\.0: Unrecognized key/],
  ])('names the bad token setting %#', (value, message) => {
    expect(() => parseConfig({ PODGATE_TOKENS: value })).toThrow(message);
  });

  it('refuses duplicate token names and hashes', () => {
    const twice = JSON.stringify([...JSON.parse(token()), ...JSON.parse(token())]);
    expect(() => parseConfig({ PODGATE_TOKENS: twice })).toThrow(
      /PODGATE_TOKENS\.1\.name: duplicate token name; PODGATE_TOKENS\.1\.sha256: duplicate token hash/,
    );
  });

  it('never quotes a secret in its messages', () => {
    const secret = 'short-hs256-secret';
    let message = '';
    try {
      parseConfig({ ...jwt, PODGATE_JWT_HS256_SECRET: secret, PODGATE_TOKENS: '[{"sha256":1}' });
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/PODGATE_JWT_HS256_SECRET: must be at least 32 characters/);
    expect(message).toMatch(/PODGATE_TOKENS: must be valid JSON/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain('sha256');
  });

  it('builds JWT settings with the default claims', () => {
    expect(parseConfig(jwt).auth.jwt).toEqual({
      jwksUrl: 'https://issuer.example.com/jwks.json',
      issuer: 'https://issuer.example.com/',
      audience: 'podgate',
      claims: { user: 'sub', role: 'podgate/role', namespaces: 'podgate/namespaces' },
      clockToleranceSeconds: 30,
    });
  });

  it('requires issuer, audience and a key source together', () => {
    expect(() => parseConfig({ PODGATE_JWT_JWKS_URL: jwt.PODGATE_JWT_JWKS_URL })).toThrow(
      /PODGATE_JWT_ISSUER: required when JWTs are accepted; PODGATE_JWT_AUDIENCE: required/,
    );
    expect(() => parseConfig({ PODGATE_JWT_ISSUER: 'x', PODGATE_JWT_AUDIENCE: 'y' })).toThrow(
      /PODGATE_JWT_JWKS_URL: set it or PODGATE_JWT_HS256_SECRET/,
    );
    expect(() => parseConfig({ ...jwt, PODGATE_JWT_JWKS_URL: 'http://issuer/jwks' })).toThrow(
      /PODGATE_JWT_JWKS_URL/,
    );
  });

  it('parses CORS origins, with * kept apart from the credentialed list', () => {
    const { cors } = parseConfig({ PODGATE_CORS_ORIGINS: 'https://a.example.com, *' });
    expect([...cors.origins]).toEqual(['https://a.example.com']);
    expect(cors.anyOrigin).toBe(true);
    expect(() => parseConfig({ PODGATE_CORS_ORIGINS: 'https://a.example.com/app' })).toThrow(
      /PODGATE_CORS_ORIGINS\.0: must be an origin/,
    );
  });

  it('names a bad limit and caps the patch size at the apiserver maximum', () => {
    expect(parseConfig({ PODGATE_MAX_BODY_BYTES: '2048' }).limits.maxBodyBytes).toBe(2048);
    expect(() => parseConfig({ PODGATE_MAX_BODY_BYTES: '0' })).toThrow(/PODGATE_MAX_BODY_BYTES/);
    expect(() => parseConfig({ PODGATE_MAX_PATCH_OPS: '10001' })).toThrow(/PODGATE_MAX_PATCH_OPS/);
    expect(() => parseConfig({ PODGATE_RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(
      /PODGATE_RATE_LIMIT_PER_MINUTE/,
    );
  });
});
