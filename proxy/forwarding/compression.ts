/**
 * Compresses backend responses on their way to the client (brotli when the client takes it, else
 * gzip) when the cluster asks for it, the backend did not compress, and nothing about the response
 * makes compression wrong: event streams, partial content, HEAD, bodiless statuses, `no-transform`.
 *
 * When compression is on for a cluster, the gateway hands every backend response to
 * `sendProxyResponse`, which writes the status and headers and streams the body, compressed or not.
 */
import type http from 'node:http';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { CompressionConfig } from '../config/config-schema.js';
import { connectionTokens, HOP_BY_HOP_HEADERS } from './hop-by-hop.js';

export type { CompressionConfig };

export type ContentEncoding = 'br' | 'gzip';


/**
 * Brotli at quality 4 compresses text about as well as gzip -6 at a similar speed; the default
 * quality 11 is meant for build-time compression and is far too slow per request.
 */
const BROTLI_QUALITY = 4;
/** Bodies up to this size, when their length is known, are compressed whole rather than streamed. */
const WHOLE_BODY_LIMIT = 64 * 1024;

/**
 * The encoding to use from an Accept-Encoding header: br when the client accepts it at least as
 * willingly as gzip, gzip otherwise, null when it accepts neither (`q=0` refuses).
 */
export function chooseEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  let br = -1;
  let gzip = -1;
  let wildcard = -1;
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName!.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) q = Number(match[1]);
    }
    if (!Number.isFinite(q)) q = 0;
    if (name === 'br') br = q;
    else if (name === 'gzip' || name === 'x-gzip') gzip = q;
    else if (name === '*') wildcard = q;
  }
  if (br < 0) br = wildcard;
  if (gzip < 0) gzip = wildcard;
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return null;
}

function isCompressibleType(contentType: string | undefined, types: readonly string[]): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'text/event-stream') return false;
  return types.some((pattern) => {
    const wanted = pattern.toLowerCase();
    return wanted.endsWith('/*') ? mediaType.startsWith(wanted.slice(0, -1)) : mediaType === wanted;
  });
}

/**
 * Whether this response may be compressed at all, whatever the client accepts; when it may, it
 * varies by Accept-Encoding and caches must be told so.
 */
function isCompressionCandidate(req: http.IncomingMessage, proxyRes: RelayedResponse, config: CompressionConfig | undefined): boolean {
  if (!config?.enabled) return false;
  if (req.method === 'HEAD') return false;
  if (req.headers.range !== undefined) return false;
  const status = proxyRes.statusCode ?? 0;
  if (status < 200 || status === 204 || status === 206 || status === 304) return false;
  const headers = proxyRes.headers;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return false;
  if (headers['content-range'] !== undefined) return false;
  if (/(^|,)\s*no-transform\s*(,|$)/i.test(headers['cache-control'] ?? '')) return false;
  if (!isCompressibleType(headers['content-type'], config.types)) return false;
  const length = headers['content-length'];
  if (length !== undefined && Number(length) < config.minBytes) return false;
  return true;
}

/**
 * Copies the backend's status and end-to-end headers onto the client response. Set-Cookie is added
 * to, not replaced, so a session cookie the gateway set survives the backend's own cookies.
 */
function copyResponseHead(req: http.IncomingMessage, proxyRes: RelayedResponse, res: http.ServerResponse): void {
  res.statusCode = proxyRes.statusCode ?? 502;
  if (req.httpVersionMajor === 1 && proxyRes.statusMessage) res.statusMessage = proxyRes.statusMessage;
  const named = connectionTokens(proxyRes.headers.connection);
  for (const [name, value] of Object.entries(proxyRes.headers)) {
    if (value === undefined || HOP_BY_HOP_HEADERS.has(name) || named?.has(name)) continue;
    if (name === 'set-cookie' && res.hasHeader('set-cookie')) res.appendHeader(name, value);
    else res.setHeader(name, value);
  }
}

/** A backend's response as relayed here: its head and its body as a stream. */
export type RelayedResponse = Readable & Pick<http.IncomingMessage, 'statusCode' | 'statusMessage' | 'headers' | 'complete'>;

/**
 * The whole response path under `selfHandleResponse: true`: writes the backend's status and headers
 * and streams its body, compressed when the cluster's settings and the client allow it.
 */
export function sendProxyResponse(
  req: http.IncomingMessage,
  proxyRes: RelayedResponse,
  res: http.ServerResponse,
  config: CompressionConfig | undefined,
  onError?: (error: Error) => void,
): void {
  if (maybeCompress(req, proxyRes, res, config, onError)) return;
  if (!res.headersSent) {
    copyResponseHead(req, proxyRes, res);
    // The same URL would be compressed for another client: caches must keep the variants apart.
    if (isCompressionCandidate(req, proxyRes, config)) addVaryAcceptEncoding(res);
  }
  streamBody(proxyRes, null, res, onError);
}

/**
 * Writes the head of a compressed response and streams the body through the compressor, returning
 * true; returns false having touched nothing when the response must go out as it came.
 */
function maybeCompress(
  req: http.IncomingMessage,
  proxyRes: RelayedResponse,
  res: http.ServerResponse,
  config: CompressionConfig | undefined,
  onError?: (error: Error) => void,
): boolean {
  if (res.headersSent || !isCompressionCandidate(req, proxyRes, config)) return false;
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  if (encoding === null) return false;

  copyResponseHead(req, proxyRes, res);
  addVaryAcceptEncoding(res);
  res.removeHeader('content-length');
  res.removeHeader('accept-ranges');
  res.setHeader('content-encoding', encoding);
  weakenEtag(res);
  const length = Number(proxyRes.headers['content-length']);
  if (Number.isFinite(length) && length <= WHOLE_BODY_LIMIT) compressWhole(proxyRes, encoding, res, onError);
  else streamBody(proxyRes, createCompressor(encoding, Number.isFinite(length) ? length : undefined), res, onError);
  return true;
}

/**
 * Compresses a small body of known length in one go and sends it with its length: for a typical
 * page, a zlib stream's hand-offs to the thread pool cost several times the compression itself.
 */
function compressWhole(proxyRes: RelayedResponse, encoding: ContentEncoding, res: http.ServerResponse, onError?: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  proxyRes.on('data', (chunk: Buffer) => chunks.push(chunk));
  proxyRes.on('error', () => undefined);
  proxyRes.once('close', () => {
    if (proxyRes.complete || res.destroyed) return;
    res.destroy();
    onError?.(new Error('the backend broke off its response'));
  });
  res.once('close', () => {
    if (!res.writableFinished) proxyRes.destroy();
  });
  proxyRes.once('end', () => {
    if (res.destroyed) return;
    const body = Buffer.concat(chunks);
    const compressed =
      encoding === 'br'
        ? zlib.brotliCompressSync(body, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          })
        : zlib.gzipSync(body);
    res.setHeader('content-length', compressed.length);
    res.end(compressed);
  });
}

function createCompressor(encoding: ContentEncoding, sizeHint: number | undefined): Transform {
  if (encoding === 'br') {
    return zlib.createBrotliCompress({
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        ...(sizeHint !== undefined ? { [zlib.constants.BROTLI_PARAM_SIZE_HINT]: sizeHint } : {}),
      },
    });
  }
  return zlib.createGzip();
}

/**
 * Streams the body and tears down the other sides when one fails: a backend that breaks off cuts the
 * client response (its headers are out, so a cut-off is the honest outcome), a client that leaves
 * releases the backend response and the compressor. Safe next to a caller's own `close` handlers,
 * which run first since they were added before this was called.
 */
function streamBody(proxyRes: RelayedResponse, compressor: Transform | null, res: http.ServerResponse, onError?: (error: Error) => void): void {
  // Reported once, on close, as a broken response.
  proxyRes.on('error', () => undefined);
  proxyRes.once('close', () => {
    if (proxyRes.complete) return;
    compressor?.destroy();
    if (res.destroyed) return;
    res.destroy();
    onError?.(new Error('the backend broke off its response'));
  });
  res.once('close', () => {
    if (res.writableFinished) return;
    compressor?.destroy();
    proxyRes.destroy();
  });
  if (!compressor) {
    proxyRes.pipe(res);
    return;
  }
  compressor.once('error', (error) => {
    onError?.(error);
    proxyRes.destroy();
    res.destroy();
  });
  proxyRes.pipe(compressor).pipe(res);
}

function addVaryAcceptEncoding(res: http.ServerResponse): void {
  const existing = res.getHeader('vary');
  const current = Array.isArray(existing) ? existing.join(', ') : existing === undefined ? '' : String(existing);
  if (current.trim() === '*') return;
  const names = current.split(',').map((name) => name.trim().toLowerCase());
  if (names.includes('accept-encoding')) return;
  res.setHeader('vary', current.trim() ? `${current}, Accept-Encoding` : 'Accept-Encoding');
}

/** A compressed body is not byte-identical to the backend's, so a strong validator would be a lie. */
function weakenEtag(res: http.ServerResponse): void {
  const etag = res.getHeader('etag');
  if (typeof etag === 'string' && etag.startsWith('"')) res.setHeader('etag', `W/${etag}`);
}
