/**
 * The readers scenario: 64 connections polling GETs and LISTs of one namespace of 20 pods, with
 * JD Cloud's rate limit on, through podgate (its JD call budget at the default) and through the
 * jdcloud-sdk-js peer. podgate runs as a gateway of its own, so its budget starts empty and
 * its namespace holds only these pods; the emulator's clock moves a minute between the two
 * runs, so each starts with JD's window fresh.
 */
import { startWorker } from '../../test/support/miniflare-workers.ts';
import type { EmulatorControl } from './emulator.ts';
import { gatewayCall, gatewayShot, podManifest, podsPath } from './gateway.ts';
import { runLoad, type Shot } from './load.ts';
import { startSdkPeer } from './sdk-peer.ts';
import { benchGateway } from './stack.ts';

export interface ReadersResult {
  pods: number;
  connections: number;
  seconds: number;
  jdLatencyMs: number;
  emulatorCallsPerMinute: number;
  budgetPerMinute: number;
  podgateReadsPerSecond: number;
  peerReadsPerSecond: number;
  podgateErrors: number;
  peerErrors: number;
  podgateFirstError?: string;
  peerFirstError?: string;
  /** podgate's JD calls during its run (the emulator's call log). */
  jdCalls: number;
  /** podgate's JD calls per minute as JD counts them: the most in any 60 s of the log. */
  jdCallsPerMinute: number;
}

export interface ReadersOptions {
  emulator: string;
  control: EmulatorControl;
  /** The gateway bundle (as the other scenarios run it). */
  bundle: string;
  seconds: number;
  jdLatencyMs: number;
  connections?: number;
  pods?: number;
  budgetPerMinute?: number;
  emulatorCallsPerMinute?: number;
}

const NAMESPACE = 'readers';
const REGION = { regionId: 'cn-south-1', az: 'cn-south-1a' };

/** Successful reads per second of a load run. */
const answered = (run: { rps: number; requests: number; errors: number }) =>
  run.requests ? (run.rps * (run.requests - run.errors)) / run.requests : 0;

export async function readersScenario(options: ReadersOptions): Promise<ReadersResult> {
  const connections = options.connections ?? 64;
  const pods = options.pods ?? 20;
  const budgetPerMinute = options.budgetPerMinute ?? 600;
  const emulatorCallsPerMinute = options.emulatorCallsPerMinute ?? 1000;
  const { control } = options;
  const gateway = await startWorker(
    benchGateway(options.bundle, options.emulator, {
      PODGATE_NAMESPACES: JSON.stringify({
        [NAMESPACE]: {
          ...REGION,
          subnetId: 'subnet-bench0readers',
          securityGroupIds: ['sg-bench0readers'],
          instanceType: 'g.n2.medium',
        },
      }),
      // The deployed defaults (poll and read freshness 2 s), with the budget given.
      PODGATE_JD_CALLS_PER_MINUTE: String(budgetPerMinute),
    }),
  );
  const peer = await startSdkPeer(options.emulator, { [NAMESPACE]: REGION.regionId });
  try {
    await control.settings({ callsPerMinute: 0, latencyMs: 0 });
    const names = Array.from({ length: pods }, (_, i) => `r${String(i).padStart(2, '0')}`);
    for (const name of names) {
      await gatewayCall(
        gateway.origin,
        gatewayShot('POST', podsPath(NAMESPACE), podManifest(name)),
        201,
      );
    }
    await control.quiet(2000, 60_000);
    await control.settings({
      callsPerMinute: emulatorCallsPerMinute,
      latencyMs: options.jdLatencyMs,
    });
    const read = (i: number, sdk: boolean): Shot => {
      const name = names[i % names.length] as string;
      const path =
        i % 2 === 0 ? `/namespaces/${NAMESPACE}/pods/${name}` : `/namespaces/${NAMESPACE}/pods`;
      return sdk ? { method: 'GET', path, headers: {} } : gatewayShot('GET', `/api/v1${path}`);
    };
    const run = (origin: string, sdk: boolean) =>
      runLoad({
        origin,
        shot: (i) => read(i, sdk),
        concurrency: connections,
        maxRequests: Number.MAX_SAFE_INTEGER,
        maxMs: options.seconds * 1000,
        expect: 200,
      });

    await control.advance(60_000);
    await control.clearCalls();
    const podgate = await run(gateway.origin, false);
    const calls = await control.calls();
    const maxInAnyMinute = await control.maxInWindow(60_000);
    await control.advance(60_000);
    const viaPeer = await run(peer.origin, true);
    return {
      pods,
      connections,
      seconds: options.seconds,
      jdLatencyMs: options.jdLatencyMs,
      emulatorCallsPerMinute,
      budgetPerMinute,
      // Reads answered (errors are not reads): a refused read is no read at all.
      podgateReadsPerSecond: answered(podgate),
      peerReadsPerSecond: answered(viaPeer),
      podgateErrors: podgate.errors,
      peerErrors: viaPeer.errors,
      ...(podgate.firstError ? { podgateFirstError: podgate.firstError } : {}),
      ...(viaPeer.firstError ? { peerFirstError: viaPeer.firstError } : {}),
      jdCalls: calls.length,
      jdCallsPerMinute: maxInAnyMinute,
    };
  } finally {
    await control.settings({ callsPerMinute: 0, latencyMs: 0 });
    await peer.stop();
    await gateway.mf.dispose();
  }
}
