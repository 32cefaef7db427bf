/**
 * A live execStart or attach stream, in JD Cloud's framing as the official jdcloud-cli reads
 * and writes it (README "exec and attach"):
 * - client → JD: stdin as raw frames (binary or text); without a TTY, `\u0004` ends stdin.
 * - JD → client: text frames `{"streamType":"stdout"|"stderr","output":"…"}`, and
 *   `{"type":"error","message":"…"}` before an abnormal close (pod stopped, stream failed).
 * - the stream carries no exit code: the server closes (1000) when the command exits, and
 *   execGetExitCode reports it.
 * With a TTY the session is the terminal's line discipline: it echoes input, turns `\r` into
 * `\n` for the program and `\n` into `\r\n` on output; Ctrl-D at a line start ends input and
 * Ctrl-C ends the command (130).
 */
import { type ProcessIo, runCommand } from './exec-programs';

/** How often a live stream looks at the emulator clock (sleep, new log lines, pod state). */
const POLL_MS = 100;

/** The emulator's view of the container a stream runs in. */
export interface StreamHost {
  hostname: string;
  env: Readonly<Record<string, string>>;
  /** Emulator clock (ms). */
  now(): number;
  /** Why the container can no longer stream (pod stopped or gone), or undefined. */
  gone(): string | undefined;
}

/** Every live stream of the emulator, so resizeTTY and the control endpoints can reach them. */
export class LiveStreams {
  private readonly streams = new Set<LiveStream>();

  add(stream: LiveStream): void {
    this.streams.add(stream);
  }

  remove(stream: LiveStream): void {
    this.streams.delete(stream);
  }

  byExecId(execId: string): LiveStream | undefined {
    for (const s of this.streams) if (s.execId === execId) return s;
    return undefined;
  }

  /** The attach stream(s) of a container: resizeTTY without execId resizes these. */
  attachedTo(podId: string, container: string): LiveStream[] {
    return [...this.streams].filter(
      (s) => s.execId === undefined && s.podId === podId && s.container === container,
    );
  }

  list(): { kind: 'exec' | 'attach'; execId?: string; podId: string; container: string }[] {
    return [...this.streams].map((s) => ({
      kind: s.execId === undefined ? 'attach' : 'exec',
      ...(s.execId === undefined ? {} : { execId: s.execId }),
      podId: s.podId,
      container: s.container,
    }));
  }

  /** Ends every stream abruptly, as a broken JD connection would (control endpoint). */
  breakAll(): number {
    const all = [...this.streams];
    for (const s of all) s.fail('stream broken by the emulator control endpoint', 1011);
    return all.length;
  }
}

export interface StreamTarget {
  podId: string;
  container: string;
  execId?: string;
  tty: boolean;
}

/** One WebSocket stream and the process (or attached output) behind it. */
export class LiveStream {
  readonly podId: string;
  readonly container: string;
  readonly execId: string | undefined;
  private size = { rows: 24, cols: 80 };
  private readonly pending: string[] = [];
  private wakeReader: (() => void) | undefined;
  private inputEnded = false;
  private closed = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly ticks = new Set<() => void>();
  private lineStart = true;
  private interrupted = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly target: StreamTarget,
    private readonly host: StreamHost,
    private readonly registry: LiveStreams,
  ) {
    this.podId = target.podId;
    this.container = target.container;
    this.execId = target.execId;
    registry.add(this);
    socket.addEventListener('message', (event) => this.onInput(event.data));
    socket.addEventListener('close', () => this.finish());
    socket.addEventListener('error', () => this.finish());
    this.timer = setInterval(() => this.tick(), POLL_MS);
  }

  resize(rows: number, cols: number): void {
    this.size = { rows, cols };
  }

  /** Runs an exec'd command; `onExit` records its status before the stream closes. */
  async run(command: readonly string[], onExit: (code: number) => void): Promise<void> {
    const code = await runCommand(command, this.io()).catch(() => 126);
    // A client that left killed the process, as closing a real exec stream does.
    onExit(this.interrupted ? 130 : this.closed ? 137 : code);
    this.close(1000, `exit ${code}`);
  }

  /** attach: the container's output as it is written, from `lines(from)`, until the client leaves. */
  follow(lines: (from: number, now: number) => { text: string; next: number }, from: number) {
    let next = from;
    const push = () => {
      const { text, next: after } = lines(next, this.host.now());
      next = after;
      if (text) this.emit('stdout', text);
    };
    push();
    this.ticks.add(push);
    // stdin of an attached container goes to its main process, which the emulator models as
    // echoing it back on stdout.
    void (async () => {
      const io = this.io();
      for (let chunk = await io.read(); chunk !== null; chunk = await io.read()) {
        io.write('stdout', chunk);
      }
    })();
  }

  fail(message: string, code = 1011): void {
    if (this.closed) return;
    this.send(JSON.stringify({ type: 'error', message }));
    this.close(code, message.slice(0, 120));
  }

  private io(): ProcessIo {
    return {
      hostname: this.host.hostname,
      env: this.host.env,
      tty: this.target.tty,
      size: () => this.size,
      write: (stream, text) => this.emit(stream, text),
      read: () => this.read(),
      sleep: (ms) => this.sleep(ms),
    };
  }

  private emit(stream: 'stdout' | 'stderr', text: string): void {
    if (!text) return;
    const output = this.target.tty ? text.replace(/\r?\n/g, '\r\n') : text;
    this.send(JSON.stringify({ streamType: this.target.tty ? 'stdout' : stream, output }));
  }

  private send(message: string): void {
    if (this.closed) return;
    try {
      this.socket.send(message);
    } catch {
      this.finish();
    }
  }

  private onInput(data: string | ArrayBuffer): void {
    if (this.inputEnded) return;
    let text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    if (!this.target.tty) {
      const eot = text.indexOf('\u0004');
      if (eot >= 0) {
        text = text.slice(0, eot);
        this.inputEnded = true;
      }
      if (text) this.pending.push(text);
    } else {
      this.discipline(text);
    }
    this.wakeReader?.();
  }

  /** The TTY's line discipline (echo, CR → LF, Ctrl-D, Ctrl-C). */
  private discipline(text: string): void {
    let forProgram = '';
    for (const ch of text) {
      if (ch === '\u0003') {
        this.emit('stdout', '^C\n');
        this.interrupted = true;
        this.close(1000, 'interrupted');
        return;
      }
      if (ch === '\u0004') {
        if (this.lineStart) {
          this.inputEnded = true;
          break;
        }
        continue;
      }
      const c = ch === '\r' ? '\n' : ch;
      this.emit('stdout', c);
      forProgram += c;
      this.lineStart = c === '\n';
    }
    if (forProgram) this.pending.push(forProgram);
  }

  private async read(): Promise<string | null> {
    for (;;) {
      const chunk = this.pending.shift();
      if (chunk !== undefined) return chunk;
      if (this.inputEnded || this.closed) return null;
      await new Promise<void>((resolve) => {
        this.wakeReader = resolve;
      });
      this.wakeReader = undefined;
    }
  }

  private sleep(ms: number): Promise<void> {
    const until = this.host.now() + ms;
    return new Promise((resolve) => {
      const check = () => {
        if (this.host.now() < until && !this.closed) return;
        this.ticks.delete(check);
        resolve();
      };
      this.ticks.add(check);
    });
  }

  private tick(): void {
    const gone = this.host.gone();
    if (gone) {
      this.fail(gone);
      return;
    }
    for (const check of [...this.ticks]) check();
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    try {
      this.socket.close(code, reason);
    } catch {
      // already closing
    }
    this.finish();
  }

  private finish(): void {
    if (!this.closed) {
      this.closed = true;
      clearInterval(this.timer);
      this.registry.remove(this);
      for (const check of [...this.ticks]) check();
      this.ticks.clear();
    }
    this.wakeReader?.();
  }
}
