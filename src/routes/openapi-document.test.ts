import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { buildApp } from '../app';
import { buildOpenApiTexts, openApiTextsOf } from './openapi-document';

const committed = (name: string) =>
  readFileSync(new URL(`../../openapi/${name}`, import.meta.url), 'utf8');
const REFRESH = 'openapi/ differs from the routes: run `npm run openapi` and commit the result';

describe('the OpenAPI document', () => {
  const texts = buildOpenApiTexts(buildApp());

  it('is committed exactly as the code produces it (drift check)', () => {
    expect(committed('openapi.json') === texts.json, REFRESH).toBe(true);
    expect(committed('openapi.yaml') === texts.yaml, REFRESH).toBe(true);
  });

  it('names no development credential (tokens, JD Cloud keys of config/*.env)', () => {
    const devSecrets = [
      ...readFileSync(new URL('../../config/local.env', import.meta.url), 'utf8').matchAll(
        /podgate-dev-[a-z]+/g,
      ),
    ].map((m) => m[0]);
    expect(devSecrets.length).toBeGreaterThan(0);
    for (const secret of new Set(devSecrets)) {
      expect(texts.json).not.toContain(secret);
      expect(committed('openapi.yaml')).not.toContain(secret);
    }
  });

  it('says the same thing in YAML as in JSON', () => {
    expect(parse(texts.yaml)).toEqual(JSON.parse(texts.json));
  });

  it('is OpenAPI 3.1 with the bearer scheme, and every operation has a unique, readable id', () => {
    const doc = JSON.parse(texts.json);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId: string }>).map((op) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['listPods', 'readPod', 'createPod', 'deletePod']));
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
  });
});

describe('validation with a second, independent validator', () => {
  // Redocly lints the document in `npm test`; swagger-parser checks it against the official
  // OpenAPI 3.1 JSON schema, which is where a licence without identifier or url used to fail.
  const validate = (doc: unknown) =>
    SwaggerParser.validate(structuredClone(doc) as Parameters<typeof SwaggerParser.validate>[0]);

  it('accepts the committed document, licence included (Apache-2.0, by SPDX identifier)', async () => {
    const doc = parse(committed('openapi.yaml'));
    expect(doc.info.license).toEqual({ name: 'Apache-2.0', identifier: 'Apache-2.0' });
    await expect(validate(doc)).resolves.toBeTruthy();
  });

  it.each([
    ['a name alone (the old UNLICENSED)', { name: 'UNLICENSED' }],
    [
      'both an identifier and a url',
      { name: 'Apache-2.0', identifier: 'Apache-2.0', url: 'https://www.apache.org/licenses/' },
    ],
  ])('rejects a licence object with %s', async (_, license) => {
    const doc = parse(committed('openapi.yaml'));
    doc.info.license = license;
    await expect(validate(doc)).rejects.toThrow(/#\/info\/license/);
  });
});

describe('serving', () => {
  it('builds the document once, on the first request, and serves the committed text', async () => {
    const app = buildApp();
    const build = vi.spyOn(app, 'getOpenAPI31Document');
    expect(build).not.toHaveBeenCalled();
    const env = {} as Env;
    const json = await app.request('/openapi.json', {}, env);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.text()).toBe(committed('openapi.json'));
    const yaml = await app.request('/openapi.yaml', {}, env);
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await yaml.text()).toBe(committed('openapi.yaml'));
    await app.request('/docs', {}, env);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('memoizes per app', () => {
    const app = buildApp();
    const texts = openApiTextsOf(app);
    expect(texts()).toBe(texts());
  });
});
