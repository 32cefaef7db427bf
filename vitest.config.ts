import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** The same settings `npm start` uses, so Workers tests exercise the local default. */
const localEnv = parseEnv(readFileSync('config/local.env', 'utf8')) as Record<string, string>;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { ...localEnv, PODGATE_ENV: 'test' } },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
        },
      },
    ],
  },
});
