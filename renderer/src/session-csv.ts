/** A session list as CSV for a spreadsheet: one header line, ISO 8601 times in UTC. */
import type { SessionInfo } from '../../proxy/control/control-api.js';

const COLUMNS = ['session', 'client', 'created (UTC)', 'last seen (UTC)', 'expires (UTC)', 'requests'];

function cell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function sessionsCsv(sessions: readonly SessionInfo[]): string {
  const lines = [COLUMNS.join(',')];
  for (const s of sessions) {
    lines.push(
      [s.id, s.client, new Date(s.createdAt).toISOString(), new Date(s.lastSeenAt).toISOString(), new Date(s.expiresAt).toISOString(), s.requests]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Offers `text` as a file download from the page. */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
