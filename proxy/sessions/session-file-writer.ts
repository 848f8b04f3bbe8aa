/**
 * Writes the saved-sessions file (see session-file.ts) straight into byte chunks, each built within
 * a couple of milliseconds: saving a million sessions then neither holds up requests for longer
 * nor makes the garbage collector clean up after a million lines of text.
 */
import { FILE_HEADER } from './session-file.js';

/** Time spent building one chunk before handing it over, so that requests get their turn. */
const CHUNK_MS = 2;
/** Sessions written between two looks at the clock. */
const SESSIONS_PER_CLOCK_CHECK = 64;
const INITIAL_CHUNK_BYTES = 128 * 1024;
/** The longest a number is written: a safe integer's 16 digits and a sign. */
const NUMBER_BYTES = 17;
const TAB = 9;
const NEWLINE = 10;
const DOT = 46;
const EIGHT_DIGITS = 100_000_000;

export class SessionFileWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_CHUNK_BYTES);
  private length = 0;

  /** One session's line; a client address kept as a number is a dotted IPv4 address. */
  session(clusterId: string, key: string, serverId: string, client: number | string, createdAt: number, lastSeenAt: number, requests: number): void {
    this.text(clusterId);
    this.byte(TAB);
    this.text(key);
    this.byte(TAB);
    this.text(serverId);
    this.byte(TAB);
    if (typeof client === 'string') {
      this.text(client);
    } else {
      for (let shift = 24; shift >= 0; shift -= 8) {
        this.integer((client >>> shift) & 255);
        if (shift > 0) this.byte(DOT);
      }
    }
    this.byte(TAB);
    this.integer(createdAt);
    this.byte(TAB);
    this.integer(lastSeenAt);
    this.byte(TAB);
    this.integer(requests);
    this.byte(NEWLINE);
  }

  text(value: string): void {
    this.room(value.length * 3);
    const { buffer } = this;
    let at = this.length;
    // Ids, keys and addresses are ASCII: copied here, as a call into Buffer#write costs more than the copy.
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 128) {
        this.length += buffer.write(value, this.length, 'utf8');
        return;
      }
      buffer[at++] = code;
    }
    this.length = at;
  }

  get size(): number {
    return this.length;
  }

  /**
   * The bytes written since the last call, valid until the writer is used again: the same buffer
   * serves every chunk, as a new one for each would count as external memory and have V8 run full
   * garbage collections over the whole session table to make up for it.
   */
  take(): Uint8Array {
    const chunk = this.buffer.subarray(0, this.length);
    this.length = 0;
    return chunk;
  }

  private byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  /** Digits without making a string of them; anything but a safe integer as JavaScript writes it. */
  private integer(value: number): void {
    if (!Number.isSafeInteger(value)) return this.text(String(value));
    this.room(NUMBER_BYTES);
    if (value < 0) {
      this.buffer[this.length++] = 45;
      value = -value;
    }
    // Times in ms exceed 32 bits: written as two parts that each fit, as 32-bit arithmetic is fast.
    if (value < EIGHT_DIGITS) return this.digits(value, 0);
    const high = Math.floor(value / EIGHT_DIGITS);
    this.digits(high, 0);
    this.digits(value - high * EIGHT_DIGITS, 8);
  }

  /** A number below 10^8 in decimal, padded with zeros to `width` digits. */
  private digits(value: number, width: number): void {
    let count = 1;
    for (let rest = value; rest >= 10; rest = (rest / 10) | 0) count++;
    count = Math.max(count, width);
    const { buffer } = this;
    for (let i = this.length + count - 1; i >= this.length; i--) {
      const tenth = (value / 10) | 0;
      buffer[i] = 48 + value - tenth * 10;
      value = tenth;
    }
    this.length += count;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}

/**
 * The file in chunks, each valid until the next is asked for: `write(i, writer)` for i from 0 while
 * i < `end()` (read again after each, as the table may grow while it is saved), each writing the
 * line of the session in slot i, if any.
 */
export function* sessionFileChunks(end: () => number, write: (i: number, writer: SessionFileWriter) => void): Generator<Uint8Array> {
  const writer = new SessionFileWriter();
  writer.text(FILE_HEADER);
  let sliceStart = performance.now();
  for (let i = 0; i < end(); i++) {
    write(i, writer);
    if (i % SESSIONS_PER_CLOCK_CHECK === SESSIONS_PER_CLOCK_CHECK - 1 && performance.now() - sliceStart >= CHUNK_MS) {
      if (writer.size > 0) yield writer.take();
      sliceStart = performance.now();
    }
  }
  if (writer.size > 0) yield writer.take();
}
