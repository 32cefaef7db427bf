/**
 * The REST half of exec and attach (reference §2.2, §10): execCreate, execGetExitCode and
 * resizeTTY. The streams themselves (execStart, attach) are WebSockets: see exec-stream.ts.
 */
import * as z from 'zod';
import { jdPath } from './path';
import { noResult, type RunOperation } from './pod-operations';

const created = z.looseObject({ execId: z.string().min(1) });
const exitCode = z.looseObject({ execCode: z.number().int() });

/** resizeTTY's bounds (JD refuses anything outside them). */
export const TTY_HEIGHT = { min: 10, max: 2000 } as const;
export const TTY_WIDTH = { min: 10, max: 1000 } as const;

const clamp = (n: number, { min, max }: { min: number; max: number }) =>
  Math.min(max, Math.max(min, Math.round(n)));

/** The exec operations of a client. */
export function execOperations(run: RunOperation) {
  const container = (regionId: string, podId: string, containerName: string) =>
    jdPath`/v1/regions/${regionId}/pods/${podId}/containers/${containerName}`;
  return {
    /** Prepares `command` in the container; the stream starts with execStart. Not retried. */
    execCreate: async (
      regionId: string,
      podId: string,
      containerName: string,
      params: { command: string[]; tty: boolean },
    ): Promise<string> =>
      (
        await run({
          op: 'execCreate',
          method: 'POST',
          regionId,
          path: `${container(regionId, podId, containerName)}%3AexecCreate`,
          body: params,
          result: created,
          idempotent: false,
        })
      ).execId,

    /** The exit code of a finished exec. */
    execGetExitCode: async (
      regionId: string,
      podId: string,
      containerName: string,
      execId: string,
    ): Promise<number> =>
      (
        await run({
          op: 'execGetExitCode',
          method: 'GET',
          regionId,
          path: `${container(regionId, podId, containerName)}%3AexecGetExitCode`,
          query: [['execId', execId]],
          result: exitCode,
          idempotent: true,
        })
      ).execCode,

    /**
     * Resizes an exec's terminal (or, without `execId`, the attached one). Sizes outside JD's
     * bounds are clamped rather than refused: a terminal of 5 rows is still a terminal.
     */
    resizeTTY: (
      regionId: string,
      podId: string,
      containerName: string,
      size: { height: number; width: number; execId?: string },
    ) =>
      run({
        op: 'resizeTTY',
        method: 'POST',
        regionId,
        path: `${container(regionId, podId, containerName)}%3AresizeTTY`,
        body: {
          height: clamp(size.height, TTY_HEIGHT),
          width: clamp(size.width, TTY_WIDTH),
          ...(size.execId === undefined ? {} : { execId: size.execId }),
        },
        result: noResult,
        idempotent: true,
      }),
  };
}
