/** The head of an RPC over HTTP request (RPC_IN_DATA, RPC_OUT_DATA), parsed strictly: anything ambiguous is refused rather than guessed. */
import type http from 'node:http';

const REQUEST_LINE = /^(RPC_IN_DATA|RPC_OUT_DATA) (\/[\x21-\x7e]*) HTTP\/1\.([01])$/;
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*$/;
const DECIMAL = /^\d{1,16}$/;

export interface RequestHead {
  method: string;
  url: string;
  minorVersion: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  contentLength: number;
}

/** The request line and headers; a string is the reason the request is refused. */
export function parseHead(text: string): RequestHead | string {
  const lines = text.split('\r\n');
  if (lines.some((line) => line.includes('\n') || line.includes('\r'))) return 'The request has a bare line break.';
  const requestLine = REQUEST_LINE.exec(lines[0]!);
  if (!requestLine) return 'The request line could not be understood.';
  const headers: http.IncomingHttpHeaders = {};
  const rawHeaders: string[] = [];
  const seen = new Set<string>();
  for (const line of lines.slice(1)) {
    const header = HEADER_LINE.exec(line);
    if (!header) return 'A request header could not be understood.';
    const name = header[1]!.toLowerCase();
    const value = header[2]!;
    rawHeaders.push(header[1]!, value);
    if (seen.has(name)) {
      if (name === 'content-length' || name === 'host' || name === 'authorization') return `The request has more than one ${header[1]} header.`;
      headers[name] = `${headers[name] as string}${name === 'cookie' ? '; ' : ', '}${value}`;
    } else {
      seen.add(name);
      headers[name] = value;
    }
  }
  if (headers['transfer-encoding'] !== undefined) return 'RPC over HTTP requests must declare a Content-Length, not a Transfer-Encoding.';
  const length = headers['content-length'];
  if (length === undefined || !DECIMAL.test(length)) return 'RPC over HTTP requests must declare their Content-Length.';
  if (requestLine[3] === '1' && headers.host === undefined) return 'The request has no Host header.';
  return {
    method: requestLine[1]!,
    url: requestLine[2]!,
    minorVersion: Number(requestLine[3]),
    headers,
    rawHeaders,
    contentLength: Number(length),
  };
}
