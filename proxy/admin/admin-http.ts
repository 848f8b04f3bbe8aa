/** HTTP plumbing of the admin API: JSON replies, bounded JSON request bodies, HTTP errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nestingBeyond } from '../config/json-nesting.js';

/** Deeper than this, a request body is refused: no API call needs more than a handful of levels. */
const MAX_BODY_NESTING = 64;

/** An error that already knows the HTTP answer it stands for. */
export class HttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.body = { error: message, ...extra };
    this.headers = headers;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/**
 * Reads the whole body and parses it as JSON. Resolves `undefined` for an empty body, so that
 * each route decides whether a body is required. Bodies over `limitBytes` are refused with 413
 * before they are buffered; bodies nested deeper than MAX_BODY_NESTING with 400.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limitBytes) {
        fail(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => fail(new HttpError(400, `request body could not be read: ${error.message}`)));
    req.on('aborted', () => fail(new HttpError(400, 'request body was cut off')));
    req.on('end', () => {
      if (settled) return;
      settled = true;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve(undefined);
        return;
      }
      if (nestingBeyond(text, MAX_BODY_NESTING) !== null) {
        reject(new HttpError(400, `request body nests deeper than ${MAX_BODY_NESTING} levels`));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`));
      }
    });
  });
}

function tooLarge(limitBytes: number): HttpError {
  // The rest of the body is never read, so the connection cannot be reused.
  return new HttpError(413, `request body is larger than ${limitBytes} bytes`, {}, { Connection: 'close' });
}
