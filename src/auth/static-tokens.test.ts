import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StaticTokenGrant } from './settings';
import { constantTimeEqual, verifyStaticToken } from './static-tokens';

const hash = (t: string) => createHash('sha256').update(t).digest('hex');
const grants: StaticTokenGrant[] = [
  { name: 'ci-bot', sha256: hash('s3cret-ci'), role: 'edit', namespaces: ['staging'] },
  { name: 'ops', sha256: hash('s3cret-ops'), role: 'admin', namespaces: '*' },
];

describe('verifyStaticToken', () => {
  it('maps a known token to its principal', async () => {
    expect(await verifyStaticToken('s3cret-ops', grants)).toEqual({
      name: 'ops',
      role: 'admin',
      namespaces: '*',
      via: 'token',
    });
    expect(await verifyStaticToken('s3cret-ci', grants)).toMatchObject({ name: 'ci-bot' });
  });

  it('refuses unknown tokens, near misses and the hash itself', async () => {
    for (const token of ['s3cret-c', 's3cret-ci ', 'S3CRET-CI', hash('s3cret-ci'), '']) {
      expect(await verifyStaticToken(token, grants)).toBeUndefined();
    }
  });

  it('refuses everything when no tokens are configured', async () => {
    expect(await verifyStaticToken('s3cret-ci', [])).toBeUndefined();
  });
});

describe('constantTimeEqual', () => {
  it('compares bytes, including the last one and the length', () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(a, new Uint8Array([1, 2]))).toBe(false);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 3, 0]))).toBe(false);
  });
});
