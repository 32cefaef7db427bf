import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { buildEmulator } from './test/support/build-emulator.ts';

/** The same settings `npm start` uses, so Workers tests exercise the local default. */
const localEnv = parseEnv(readFileSync('config/local.env', 'utf8')) as Record<string, string>;
/** The emulator's `npm start` settings (dev credentials, control endpoints on). */
const emulatorEnv = parseEnv(readFileSync('config/emulator.env', 'utf8')) as Record<string, string>;

/**
 * The gateway in the Workers runtime, its JD Cloud calls going to the emulator. Journal steps run
 * only when a test runs the alarm (the poll interval is the maximum), and transitions only
 * complete when a test advances the emulator's clock, so no test depends on timing.
 */
function gatewayProject(
  name: string,
  include: string[],
  exclude: string[],
  vars: Record<string, string>,
) {
  return {
    plugins: [
      // Options as a function: the emulator is bundled only when this project actually runs.
      cloudflareTest(() => ({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          // The gateway's JD call budget out of the way; test/workers/jd-budget.test.ts sets its
          // own on the budget object.
          bindings: {
            ...localEnv,
            PODGATE_ENV: 'test',
            PODGATE_POLL_MS: '60000',
            PODGATE_JD_CALLS_PER_MINUTE: '1000000',
            ...vars,
          },
          // Every outbound fetch of the gateway (its JD Cloud calls to JDCLOUD_ENDPOINT) goes to
          // the emulator, built by buildEmulator().
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
    // 30 s: a file's first request pays the isolate's cold start, which takes seconds on a
    // loaded 2-core machine; no test here waits on time (the clocks are driven explicitly).
    test: { name, include, exclude, testTimeout: 30_000 },
  };
}

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
      // A short JD call timeout (0.5 s) keeps hang and timeout faults fast in tests.
      // Every read refreshes from JD Cloud (freshness 0), so tests read what JD just did.
      gatewayProject(
        'workers',
        ['test/workers/**/*.test.ts'],
        ['test/workers/races/**', 'test/workers/storage/**'],
        { PODGATE_JD_TIMEOUT_MS: '500', PODGATE_READ_FRESHNESS_MS: '0' },
      ),
      // Interleavings: a JD answer held by the emulator (after it acted) while other requests
      // run. The JD timeout is long, so a held answer is released by the test, never by the clock.
      gatewayProject('races', ['test/workers/races/**/*.test.ts'], [], {
        PODGATE_JD_TIMEOUT_MS: '60000',
        PODGATE_READ_FRESHNESS_MS: '0',
      }),
      // Reads from storage as deployed: state is fresh for the poll interval (60 s here), and
      // tests move the namespace's sync clock explicitly. The idle interval is ten polls.
      gatewayProject('storage', ['test/workers/storage/**/*.test.ts'], [], {
        PODGATE_JD_TIMEOUT_MS: '60000',
        PODGATE_IDLE_SYNC_MS: '600000',
      }),
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
          // As the gateway projects: a file's first request pays the cold start, slow when loaded.
          testTimeout: 30_000,
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
