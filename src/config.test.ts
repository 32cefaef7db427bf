import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFor, parseConfig } from './config';

const local = parseEnv(readFileSync('config/local.env', 'utf8'));

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

  it('names the key of a bad namespace setting', () => {
    const bad = JSON.stringify({
      default: { regionId: 'cn-north-1', az: 'cn-east-2a', subnetId: 'subnet-a' },
    });
    expect(() => parseConfig({ PODGATE_NAMESPACES: bad })).toThrow(
      /PODGATE_NAMESPACES\.default\.az: must be an availability zone of regionId/,
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
