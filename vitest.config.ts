import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { buildEmulator } from './test/support/build-emulator.ts';

/** The same settings `npm start` uses, so Workers tests exercise the local default. */
const localEnv = parseEnv(readFileSync('config/local.env', 'utf8')) as Record<string, string>;
/** The emulator's `npm start` settings (dev credentials, control endpoints on). */
const emulatorEnv = parseEnv(readFileSync('config/emulator.env', 'utf8')) as Record<string, string>;

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
          // Options as a function: the emulator is bundled only when this project actually runs.
          cloudflareTest(() => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              // A short JD call timeout (0.5 s) keeps hang and timeout faults fast in tests.
              // Journal steps run only when a test runs the alarm: the poll interval is the maximum.
              bindings: {
                ...localEnv,
                PODGATE_ENV: 'test',
                PODGATE_JD_TIMEOUT_MS: '500',
                PODGATE_POLL_MS: '60000',
                // The gateway's JD call budget out of the way; test/workers/jd-budget.test.ts
                // sets its own on the budget object.
                PODGATE_JD_CALLS_PER_MINUTE: '1000000',
              },
              // Every outbound fetch of the gateway (its JD Cloud calls to JDCLOUD_ENDPOINT) goes
              // to the emulator, built by the globalSetup below. Transitions only complete when a
              // test advances the emulator's clock, so no test depends on timing.
              outboundService: 'jdcloud-emulator',
              workers: [
                {
                  name: 'jdcloud-emulator',
                  modules: true,
                  scriptPath: buildEmulator(),
                  compatibilityDate: '2026-11-01',
                  durableObjects: {
                    EMULATOR_STATE: { className: 'EmulatorState', useSQLite: true },
                  },
                  // JD's rate limit off: tests that need it turn it on (PUT /__emulator/settings).
                  bindings: {
                    ...emulatorEnv,
                    EMULATOR_TRANSITION_MS: '3600000',
                    EMULATOR_CALLS_PER_MINUTE: '0',
                  },
                },
              ],
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './src/emulator/wrangler.toml' },
            miniflare: { bindings: { ...emulatorEnv, EMULATOR_CALLS_PER_MINUTE: '0' } },
          }),
        ],
        test: {
          name: 'emulator',
          include: ['test/emulator/**/*.test.ts'],
        },
      },
      {
        // End-to-end: the gateway and emulator under `wrangler dev`, driven over HTTP (curl-like
        // clients, kubectl, generated clients). One stack per file; files run one at a time.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          hookTimeout: 90_000,
          testTimeout: 60_000,
        },
      },
      {
        // jdcloud-sdk-js needs Node (node-fetch), so it drives the emulator over HTTP from Node.
        test: {
          name: 'emulator-sdk',
          include: ['test/emulator/**/*.node-test.ts'],
          environment: 'node',
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
