/**
 * Reads a config file's bytes the way Windows editors save them and turns a JSON syntax error into
 * a message an admin can act on: line and column, the offending line with a caret under the spot,
 * and a hint when a Windows path has single backslashes.
 */
import { ConfigError } from './config-validation.js';
import { nestingBeyond } from './json-nesting.js';

/** Deeper than this, a config document is refused before it is parsed (nothing sensible nests so far). */
const MAX_CONFIG_NESTING = 64;

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Text of a config file. UTF-8 with or without a byte order mark (Windows PowerShell 5.1 writes one
 * with `-Encoding UTF8`) and UTF-16 with its mark (what its `Out-File` and `>` write) are accepted.
 */
export function decodeConfigBytes(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}

/** Parses config text (a leading byte order mark is ignored); a syntax error becomes a ConfigError saying where. */
export function parseConfigText(text: string, location: string): unknown {
  const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const tooDeep = nestingBeyond(json, MAX_CONFIG_NESTING);
  if (tooDeep !== null) {
    throw new ConfigError([{ path: '', message: `${location} nests deeper than ${MAX_CONFIG_NESTING} levels (at ${describePosition(json, tooDeep)})` }]);
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new ConfigError([{ path: '', message: `${location} is not valid JSON: ${describeSyntaxError(json, (error as Error).message)}` }]);
  }
}

/**
 * `line 3, column 5: <what JSON.parse said>`, then the line and a caret under the column, and a hint
 * when the problem is a single backslash. Falls back to the parser's own words when no position can be found.
 */
function describeSyntaxError(text: string, parserMessage: string): string {
  const reason = parserMessage.replace(/\s+in JSON at position \d+.*$/s, '').replace(/^(Unexpected token .*?), (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '$1');
  const position = errorPosition(text, parserMessage);
  if (position === null) return parserMessage;
  const hint = hasLoneBackslash(lineAround(text, position).text)
    ? '\nA single \\ starts an escape in JSON: use \\\\ or / in Windows paths ("D:\\\\Switchboard\\\\certs" or "D:/Switchboard/certs").'
    : '';
  return `${describePosition(text, position)}: ${reason}\n${excerpt(text, position)}${hint}`;
}

function describePosition(text: string, position: number): string {
  const { line, column } = lineAround(text, position);
  return `line ${line}, column ${column}`;
}

function errorPosition(text: string, parserMessage: string): number | null {
  const at = /at position (\d+)/.exec(parserMessage);
  if (at) return Math.min(Number(at[1]), text.length);
  if (/end of JSON input/i.test(parserMessage)) return lastNonBlank(text);
  return firstSyntaxErrorAt(text);
}

/**
 * Where a strict JSON reader first stumbles, for the parser messages that do not say (Node 20's
 * "Unexpected token"). Only called on text that JSON.parse refused and whose nesting is bounded.
 */
export function firstSyntaxErrorAt(text: string): number | null {
  let i = 0;
  const blank = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new Stumble(i);
  };
  const literal = (word: string): void => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = (): void => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      if (c === '"') return void i++;
      if (c === '\\') {
        i++;
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
        else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail();
      } else i++;
    }
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) return fail();
    i += match[0].length;
  };
  const value = (): void => {
    blank();
    const c = text[i];
    if (c === '{') {
      i++;
      blank();
      if (text[i] === '}') return void i++;
      for (;;) {
        blank();
        if (text[i] !== '"') fail();
        string();
        blank();
        if (text[i] !== ':') fail();
        i++;
        value();
        blank();
        if (text[i] === '}') return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    }
    if (c === '[') {
      i++;
      blank();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        blank();
        if (text[i] === ']') return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    blank();
    return i < text.length ? i : null;
  } catch (error) {
    if (error instanceof Stumble) return Math.min(error.at, text.length);
    throw error;
  }
}

/** Thrown inside `firstSyntaxErrorAt` to unwind to the position of the first error. */
class Stumble {
  constructor(readonly at: number) {}
}

function lastNonBlank(text: string): number {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function lineAround(text: string, position: number): { line: number; column: number; text: string } {
  const start = text.lastIndexOf('\n', position - 1) + 1;
  const newline = text.indexOf('\n', position);
  const end = newline === -1 ? text.length : newline;
  let line = 1;
  for (let i = 0; i < start; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return { line, column: position - start + 1, text: text.slice(start, end).replace(/\r$/, '') };
}

/** The offending line, numbered, with a caret under the column (tabs kept so that the caret lines up). */
function excerpt(text: string, position: number): string {
  const { line, column, text: lineText } = lineAround(text, position);
  const gutter = `  ${line} | `;
  const padding = lineText.slice(0, column - 1).replace(/[^\t]/g, ' ');
  return `${gutter}${lineText}\n${' '.repeat(gutter.length - 2)}| ${padding}^`;
}

/** A backslash that does not start one of JSON's escapes, as in "D:\Switchboard". */
function hasLoneBackslash(line: string): boolean {
  return /(^|[^\\])(\\\\)*\\[^"\\/bfnrtu]/.test(line);
}
