/**
 * An incremental Server-Sent Events parser (WHATWG HTML "event stream interpretation").
 * Pure and chunking-invariant: the events produced do not depend on how the byte stream is
 * split into chunks (multi-byte characters and CRLF pairs may straddle chunk boundaries).
 */
import { StringDecoder } from 'node:string_decoder';

/** One dispatched SSE event. */
export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
  /** The last `id:` field seen, if any. */
  readonly id?: string;
}

/** Raised by {@link SseParser.push} when one line, or one event's data, exceeds the configured cap. */
export class SseLineTooLongError extends Error {
  constructor(readonly maxLineLength: number) {
    super(`SSE line longer than ${maxLineLength} characters`);
    this.name = 'SseLineTooLongError';
  }
}

/** Options of {@link SseParser}. */
export interface SseParserOptions {
  /** The longest line accepted, in characters; a longer line throws {@link SseLineTooLongError}. @default 1 MiB */
  readonly maxLineLength?: number;
}

/** Parses an SSE byte stream pushed chunk by chunk. Comments (`: keepalive`) are counted, not returned. */
export class SseParser {
  /** Number of comment lines seen (keep-alives). */
  public comments = 0;
  private readonly maxLineLength: number;
  private readonly decoder = new StringDecoder('utf8');
  private line = '';
  private lastWasCR = false;
  private firstLine = true;
  private eventType = '';
  private data: string[] = [];
  private dataLength = 0;
  private lastId: string | undefined;
  private retry: number | undefined;

  constructor(options: SseParserOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? 1024 * 1024;
  }

  /** The last event id seen (the `Last-Event-ID` to resume with), if any. */
  public get lastEventId(): string | undefined {
    return this.lastId;
  }

  /** The last `retry` field: the reconnection delay the server asked for, in ms. */
  public get retryMs(): number | undefined {
    return this.retry;
  }

  /** Feeds one chunk; returns the events completed by it. Throws {@link SseLineTooLongError}. */
  public push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return this.consume(text);
  }

  /** Signals the end of the stream; an event without its terminating blank line is discarded, per spec. */
  public end(): SseEvent[] {
    const events = this.consume(this.decoder.end());
    this.line = '';
    this.data = [];
    this.dataLength = 0;
    this.eventType = '';
    return events;
  }

  private consume(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a && this.lastWasCR) {
        // The LF of a CRLF pair whose CR ended the previous line (possibly in the previous chunk).
        this.lastWasCR = false;
        start = i + 1;
        continue;
      }
      this.lastWasCR = false;
      if (c === 0x0a || c === 0x0d) {
        this.append(text.slice(start, i));
        this.processLine(events);
        this.lastWasCR = c === 0x0d;
        start = i + 1;
      }
    }
    this.append(text.slice(start));
    return events;
  }

  private append(part: string): void {
    if (part.length === 0) return;
    this.line += part;
    if (this.line.length > this.maxLineLength) {
      this.line = '';
      throw new SseLineTooLongError(this.maxLineLength);
    }
  }

  private processLine(events: SseEvent[]): void {
    let line = this.line;
    this.line = '';
    if (this.firstLine) {
      this.firstLine = false;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        // One event's data is bounded like one line: many short data lines cannot pile up.
        this.dataLength += value.length + 1;
        if (this.dataLength > this.maxLineLength) {
          this.data = [];
          this.dataLength = 0;
          throw new SseLineTooLongError(this.maxLineLength);
        }
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d{1,9}$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
  }

  private dispatch(events: SseEvent[]): void {
    this.dataLength = 0;
    if (this.data.length === 0) {
      this.eventType = '';
      return;
    }
    events.push({
      event: this.eventType === '' ? 'message' : this.eventType,
      data: this.data.join('\n'),
      ...(this.lastId !== undefined ? { id: this.lastId } : {}),
    });
    this.data = [];
    this.eventType = '';
  }
}
