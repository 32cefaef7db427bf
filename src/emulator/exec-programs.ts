/**
 * The commands an emulated container can run through execCreate/execStart: `echo`, `cat`
 * (stdin to stdout), `env`, `hostname`, `sleep N`, `true`, `false`, `stty size`, `sh -c
 * 'script'` (with `exit N`) and an interactive `sh` that runs each line it reads. Deterministic:
 * output depends only on the command, the container and what arrives on stdin; `sleep` waits on
 * the emulator clock. Anything else exits 127 as a missing executable does.
 */
import { parseScript } from './exec-shell';

/** What a program sees of its process: the container's identity, stdin, stdout/stderr, time. */
export interface ProcessIo {
  hostname: string;
  env: Readonly<Record<string, string>>;
  tty: boolean;
  /** The terminal size last set by resizeTTY (rows, columns). */
  size(): { rows: number; cols: number };
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** The next chunk of stdin, or `null` at end of input. */
  read(): Promise<string | null>;
  /** Resolves once `ms` have passed on the emulator clock. */
  sleep(ms: number): Promise<void>;
}

/** `exit N` inside a script: unwinds to the shell that runs it. */
class ShellExit {
  constructor(readonly code: number) {}
}

type Builtin = (args: string[], io: ProcessIo, out: 'stdout' | 'stderr') => Promise<number>;

const BUILTINS: Record<string, Builtin> = {
  echo: async (args, io, out) => {
    const noNewline = args[0] === '-n';
    io.write(out, `${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  true: async () => 0,
  false: async () => 1,
  hostname: async (_args, io, out) => {
    io.write(out, `${io.hostname}\n`);
    return 0;
  },
  env: async (_args, io, out) => {
    const lines = Object.entries(io.env).map(([k, v]) => `${k}=${v}\n`);
    io.write(out, lines.join(''));
    return 0;
  },
  pwd: async (_args, io, out) => {
    io.write(out, '/\n');
    return 0;
  },
  sleep: async (args, io) => {
    const seconds = Number(args[0]);
    if (!Number.isFinite(seconds) || seconds < 0) {
      io.write('stderr', `sleep: invalid time interval '${args[0] ?? ''}'\n`);
      return 1;
    }
    await io.sleep(seconds * 1000);
    return 0;
  },
  cat: async (_args, io, out) => {
    for (let chunk = await io.read(); chunk !== null; chunk = await io.read()) io.write(out, chunk);
    return 0;
  },
  stty: async (args, io, out) => {
    if (args[0] !== 'size') return 0;
    if (!io.tty) {
      io.write('stderr', 'stty: standard input: Inappropriate ioctl for device\n');
      return 1;
    }
    const { rows, cols } = io.size();
    io.write(out, `${rows} ${cols}\n`);
    return 0;
  },
};

const SHELLS = new Set(['sh', '/bin/sh', 'bash', '/bin/bash', 'ash']);

/** Runs one command line's words (a builtin, a nested shell, `exit`); returns its status. */
async function runWords(words: string[], io: ProcessIo, out: 'stdout' | 'stderr'): Promise<number> {
  const [name = '', ...args] = words;
  if (name === 'exit') throw new ShellExit(exitStatus(args[0]));
  if (SHELLS.has(name)) return runShell(args, io);
  const builtin = BUILTINS[name.replace(/^\/(usr\/)?bin\//, '')];
  if (builtin) return builtin(args, io, out);
  io.write('stderr', `sh: ${name}: not found\n`);
  return 127;
}

const exitStatus = (raw: string | undefined) => {
  const n = Number(raw ?? 0);
  return Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2;
};

/** Runs a script; `exit N` ends it with N, otherwise the last command's status. */
async function runScript(script: string, io: ProcessIo, status = 0): Promise<number> {
  let last = status;
  let commands: ReturnType<typeof parseScript>;
  try {
    commands = parseScript(script);
  } catch (err) {
    io.write('stderr', `sh: syntax error: ${(err as Error).message}\n`);
    return 2;
  }
  for (const command of commands) {
    if (command.join === '&&' && last !== 0) continue;
    if (command.join === '||' && last === 0) continue;
    last = await runWords(command.words, io, command.toStderr ? 'stderr' : 'stdout');
  }
  return last;
}

/** `sh -c script`, or an interactive shell reading lines from stdin until `exit` or EOF. */
async function runShell(args: string[], io: ProcessIo): Promise<number> {
  try {
    if (args[0] === '-c') return await runScript(args[1] ?? '', io);
    let status = 0;
    const lines = lineReader(io);
    for (;;) {
      if (io.tty) io.write('stdout', '/ # ');
      const line = await lines();
      if (line === null) return status;
      status = await runScript(line, io, status);
    }
  } catch (err) {
    if (err instanceof ShellExit) return err.code;
    throw err;
  }
}

/** Splits stdin into lines (without their `\n`); the last partial line counts at EOF. */
function lineReader(io: ProcessIo): () => Promise<string | null> {
  let buffered = '';
  let ended = false;
  return async () => {
    for (;;) {
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return line;
      }
      if (ended) {
        if (!buffered) return null;
        const line = buffered;
        buffered = '';
        return line;
      }
      const chunk = await io.read();
      if (chunk === null) ended = true;
      else buffered += chunk;
    }
  };
}

/** Runs an exec'd command to its exit status. */
export async function runCommand(command: readonly string[], io: ProcessIo): Promise<number> {
  const [name = ''] = command;
  const known =
    SHELLS.has(name) || name === 'exit' || BUILTINS[name.replace(/^\/(usr\/)?bin\//, '')];
  if (!known) {
    io.write(
      'stderr',
      `OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": executable file not found in $PATH: unknown\n`,
    );
    return 127;
  }
  try {
    return await runWords([...command], io, 'stdout');
  } catch (err) {
    if (err instanceof ShellExit) return err.code;
    throw err;
  }
}
