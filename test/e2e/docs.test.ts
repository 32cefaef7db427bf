/**
 * The API reference at /docs (Swagger UI, served by the Worker), loaded in headless Chromium
 * (Debian's package, driven by playwright-core) with every request outside the gateway refused:
 * every operation of the published document renders, the patch operation among them, under the
 * docs CSP.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const document = JSON.parse(
  readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'),
) as { paths: Record<string, Record<string, { operationId: string }>> };
const operationIds = Object.values(document.paths).flatMap((item) =>
  Object.values(item).map((op) => op.operationId),
);

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('GET /docs in Chromium', () => {
  let page: Page;
  const offsite: string[] = [];
  const cspViolations: string[] = [];
  beforeAll(async () => {
    page = await browser.newPage();
    // Anything but the gateway itself would be a CDN the page depends on: refuse it.
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(stack.gateway)) return route.continue();
      offsite.push(route.request().url());
      return route.abort();
    });
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    const res = await page.goto(`${stack.gateway}/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await page.screenshot({ path: join(tmpdir(), 'podgate-docs.png'), fullPage: false });
  });

  it('renders every operation of the committed document, offline, within the CSP', async () => {
    await expect(page.title()).resolves.toBe('podgate Pod API');
    // Swagger UI gives each operation the id `operations-<tag>-<operationId>`.
    await page.locator('.opblock').first().waitFor();
    const rendered = await page
      .locator('.opblock')
      .evaluateAll((els) => els.map((el) => el.id.replace(/^operations-[^-]+-/, '')));
    expect(rendered.sort()).toEqual([...operationIds].sort());
    expect(offsite).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('shows the patch operation with a body per patch media type and the JSON-patch example', async () => {
    const patch = page.locator('[id$="-patchPod"]');
    await expect(patch.locator('.opblock-summary-method').textContent()).resolves.toBe('PATCH');
    await patch.locator('.opblock-summary').click();
    const mediaTypes = patch.locator('.opblock-section-request-body select option');
    await mediaTypes.first().waitFor({ state: 'attached' });
    const types = await mediaTypes.allTextContents();
    for (const type of [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]) {
      expect(types).toContain(type);
    }
    await expect(patch.locator('.opblock-section-request-body').textContent()).resolves.toContain(
      '/spec/containers/0/image',
    );
    await page.screenshot({ path: join(tmpdir(), 'podgate-docs-patch.png'), fullPage: false });
  });

  it('serves only the Swagger UI files the page needs', async () => {
    const ok = await fetch(`${stack.gateway}/docs/assets/swagger-ui-bundle.js`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${stack.gateway}/docs/assets/index.html`)).status).toBe(404);
  });

  it('serves the committed document at /openapi.json and /openapi.yaml', async () => {
    for (const name of ['openapi.json', 'openapi.yaml']) {
      const res = await fetch(`${stack.gateway}/${name}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(
        readFileSync(new URL(`../../openapi/${name}`, import.meta.url), 'utf8'),
      );
    }
  });
});
