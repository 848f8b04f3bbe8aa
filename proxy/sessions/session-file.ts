/**
 * The saved-sessions file: a header line, then one line per session of tab-separated columns
 * (cluster, key, server, client, created at, last seen at, requests; times in epoch ms), the same
 * since the first version. Read here from the file's bytes, so that no stored key is a slice of the
 * whole file's text (which would keep all of it in memory); written by session-file-writer.ts.
 */
export const FILE_HEADER = 'switchboard-sessions 1\n';
export interface SavedSession {
  clusterId: string;
  key: string;
  serverId: string;
  client: string;
  createdAt: number;
  lastSeenAt: number;
  requests: number;
}

/** Calls `each` with every well-formed session line; other lines and a file of another kind are skipped. */
export function readSessionFile(data: string | Uint8Array, each: (session: SavedSession) => void): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.toString('utf8', 0, FILE_HEADER.length) !== FILE_HEADER) return;
  /** Where each column starts, and one past the line's end. */
  const at = new Int32Array(8);
  for (let start = FILE_HEADER.length; start < bytes.length; ) {
    const newline = bytes.indexOf(10, start);
    const end = newline < 0 ? bytes.length : newline;
    let columns = 1;
    at[0] = start;
    for (let i = start; i < end && columns < 8; i++) if (bytes[i] === 9) at[columns++] = i + 1;
    at[columns] = end + 1;
    if (columns === 7) {
      const createdAt = integerAt(bytes, at[4]!, at[5]! - 1);
      const lastSeenAt = integerAt(bytes, at[5]!, at[6]! - 1);
      const requests = integerAt(bytes, at[6]!, at[7]! - 1);
      if (Number.isSafeInteger(createdAt) && Number.isSafeInteger(lastSeenAt) && Number.isSafeInteger(requests)) {
        each({
          clusterId: bytes.toString('utf8', at[0]!, at[1]! - 1),
          key: bytes.toString('utf8', at[1]!, at[2]! - 1),
          serverId: bytes.toString('utf8', at[2]!, at[3]! - 1),
          client: bytes.toString('utf8', at[3]!, at[4]! - 1),
          createdAt,
          lastSeenAt,
          requests,
        });
      }
    }
    start = end + 1;
  }
}

/** The number written in bytes[start, end): plain digits read directly, anything else as `Number` reads it. */
function integerAt(bytes: Buffer, start: number, end: number): number {
  let value = 0;
  if (end > start && end - start <= 15) {
    for (let i = start; i < end; i++) {
      const digit = bytes[i]! - 48;
      if (digit < 0 || digit > 9) return Number(bytes.toString('latin1', start, end));
      value = value * 10 + digit;
    }
    return value;
  }
  return Number(bytes.toString('latin1', start, end));
}
