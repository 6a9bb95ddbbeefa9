/**
 * The JSON-RPC messages of a Server-Sent Events body, read as they arrive: enough of the SSE
 * format (events split on a blank line, their `data:` lines joined) to find the response to a
 * request in a stream the client is reading at the same time.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

/** Splits a text stream into SSE events and yields the JSON value of each event's data. */
export class SseMessages {
  private buffer = '';

  /** Feeds a chunk of text; returns the JSON values of the events it completed (unparseable data skipped). */
  public push(text: string): unknown[] {
    this.buffer += text;
    const out: unknown[] = [];
    for (;;) {
      const end = /\r\n\r\n|\n\n|\r\r/.exec(this.buffer);
      if (!end) break;
      const event = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      const data = event.split(/\r\n|\n|\r/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
      if (data.length === 0) continue;
      try {
        out.push(JSON.parse(data.join('\n')));
      } catch {
        // Not JSON: not a JSON-RPC message.
      }
    }
    return out;
  }
}
