/** Reads a watch response line by line (newline-delimited JSON events) in tests. */
export interface WatchEvent<T = Record<string, unknown>> {
  type: string;
  object: T;
}

export class WatchReader {
  private readonly reader: ReadableStreamDefaultReader<string>;
  private buffer = '';

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next event, or `undefined` when the server has closed the stream. */
  async next<T = Record<string, unknown>>(): Promise<WatchEvent<T> | undefined> {
    for (;;) {
      const newline = this.buffer.indexOf('\n');
      if (newline >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        return JSON.parse(line) as WatchEvent<T>;
      }
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      this.buffer += value;
    }
  }

  /** Events until one satisfies `until` (inclusive); fails if the stream ends first. */
  async collect(until: (event: WatchEvent) => boolean): Promise<WatchEvent[]> {
    const events: WatchEvent[] = [];
    for (;;) {
      const event = await this.next();
      if (!event) throw new Error(`watch ended after ${JSON.stringify(events.map((e) => e.type))}`);
      events.push(event);
      if (until(event)) return events;
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}
