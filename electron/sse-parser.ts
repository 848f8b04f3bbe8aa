/**
 * A Server-Sent Events parser for text arriving in arbitrary chunks, as read from a fetch
 * response body: Node has no EventSource, and the main process reads the gateway's event stream
 * this way when it attaches to the Windows service.
 */
export interface SseMessage {
  event: string;
  data: string;
}

export class SseParser {
  #buffer = '';
  readonly #onMessage: (message: SseMessage) => void;

  constructor(onMessage: (message: SseMessage) => void) {
    this.#onMessage = onMessage;
  }

  /** Feeds more text; every message completed by it is delivered before this returns. */
  push(text: string): void {
    // Normalised with the buffer, so a "\r\n" split between two chunks is still one line end.
    this.#buffer = (this.#buffer + text).replaceAll('\r\n', '\n');
    let end = this.#buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      this.#dispatch(block);
      end = this.#buffer.indexOf('\n\n');
    }
  }

  #dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      // Lines starting with ":" are comments, e.g. the gateway's heartbeat.
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) this.#onMessage({ event, data: data.join('\n') });
  }
}
