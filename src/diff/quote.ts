// Git's C-style path quoting (quote.c): a name with a control character, '"', '\' or (with core.quotePath, the
// default) a byte >= 0x80 is printed inside double quotes with backslash escapes, and non-ASCII bytes as octal.
// The octal escapes are the bytes of the UTF-8 name, so they are collected as bytes and decoded together.

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 34,
  '\\': 92,
};

const encoder = new TextEncoder();
// Not fatal: a name git printed from invalid UTF-8 bytes still yields a name (with U+FFFD) instead of an error.
const decoder = new TextDecoder('utf-8');

export interface QuotedToken {
  /** The decoded name. */
  value: string;
  /** Index just after the closing quote. */
  end: number;
}

/**
 * Reads the quoted string that starts at `start` (which must be '"'). Returns null when the string is not
 * terminated, so the caller can fall back to treating the text as an unquoted name.
 */
export function readQuoted(text: string, start: number): QuotedToken | null {
  if (text.charCodeAt(start) !== 34) return null;
  const bytes: number[] = [];
  let i = start + 1;
  let literalFrom = i;
  const flushLiteral = (to: number): void => {
    if (to > literalFrom) for (const b of encoder.encode(text.slice(literalFrom, to))) bytes.push(b);
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      flushLiteral(i);
      return { value: decoder.decode(new Uint8Array(bytes)), end: i + 1 };
    }
    if (c !== 92) {
      i++;
      continue;
    }
    flushLiteral(i);
    const next = text[i + 1];
    if (next === undefined) return null;
    const octal = /^[0-7]{3}/.exec(text.slice(i + 1, i + 4));
    const simple = SIMPLE_ESCAPES[next];
    if (octal) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      i += 4;
      literalFrom = i;
    } else if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      literalFrom = i;
    } else {
      // git never prints other escapes; keep the character itself rather than fail on odd input.
      literalFrom = i + 1;
      i += 2;
    }
  }
  return null;
}

/** A whole field that may be quoted ("a/x y" or a/x y): the decoded text. */
export function unquoteField(field: string): string {
  if (field.charCodeAt(0) === 34) {
    const token = readQuoted(field, 0);
    if (token && token.end === field.length) return token.value;
  }
  return field;
}

/** Shows control characters and line separators as escapes so a file name cannot break a line-oriented format. */
export function escapeControl(name: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const separator = c === 0x85 || c === 0x2028 || c === 0x2029;
    if (c >= 32 && c !== 127 && !separator) continue;
    out += name.slice(from, i);
    out += c === 9 ? '\\t' : c === 10 ? '\\n' : c === 13 ? '\\r' : separator ? `\\u${c.toString(16).padStart(4, '0')}` : `\\x${c.toString(16).padStart(2, '0')}`;
    from = i + 1;
  }
  return from === 0 ? name : out + name.slice(from);
}
