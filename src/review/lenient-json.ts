// Pulls one JSON value out of a model's answer. Models wrap JSON in prose and code fences, leave trailing commas
// and comments, and put raw newlines inside strings even when asked not to; refusing those answers would only cost
// a retry. What counts as a usable value is left to the caller (`accept`), so a stray "[1]" in the prose before the
// real answer does not win.

export type Extracted =
  | { ok: true; value: unknown }
  /** `rejected`: the first JSON value found that `accept` turned down, to say what the model sent instead. */
  | { ok: false; reason: string; rejected?: { value: unknown } };

/**
 * Bounds the work on hostile or pathological answers (a megabyte of "{"): each attempt is one linear scan, and
 * a real answer is found within the first few.
 */
const MAX_SCANS = 64;

export function extractJson(raw: string, accept: (value: unknown) => boolean = () => true): Extracted {
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, reason: 'the answer is empty' };

  const budget = { scans: MAX_SCANS };
  let rejected: { value: unknown } | undefined;
  for (const candidate of candidates(text, budget)) {
    const parsed = parseLenient(candidate);
    if (parsed === undefined) continue;
    if (accept(parsed.value)) return { ok: true, value: parsed.value };
    rejected ??= parsed;
  }
  const reason = 'the answer contains no usable JSON';
  return rejected === undefined ? { ok: false, reason } : { ok: false, reason, rejected };
}

type Budget = { scans: number };

/** The whole text first, then each fenced code block, then each balanced {…} or […] in order of appearance. */
function* candidates(text: string, budget: Budget): Generator<string> {
  yield text;
  for (const block of text.matchAll(/```[^\n`]*\n([\s\S]*?)```/g)) {
    if (--budget.scans < 0) return;
    const body = block[1] ?? '';
    yield body;
    yield* balancedSlices(body, budget);
  }
  yield* balancedSlices(text, budget);
}

function* balancedSlices(text: string, budget: Budget): Generator<string> {
  for (let start = 0; start < text.length; start++) {
    const c = text[start];
    if (c !== '{' && c !== '[') continue;
    if (--budget.scans < 0) return;
    const end = balancedEnd(text, start);
    if (end !== -1) yield text.slice(start, end + 1);
  }
}

/** Index of the bracket closing the one at `start`, honouring strings and escapes; -1 when unbalanced. */
export function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** JSON.parse after repairing what models commonly get wrong; undefined when it still is not JSON. */
export function parseLenient(text: string): { value: unknown } | undefined {
  for (const attempt of [text, repair(text)]) {
    try {
      return { value: JSON.parse(attempt) as unknown };
    } catch {
      // try the next form
    }
  }
  return undefined;
}

/**
 * One pass outside strings: drops // and /* *\/ comments and commas that precede a closing bracket; inside
 * strings: escapes raw control characters (a literal newline in a message is the most common one).
 */
export function repair(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (c === '\\') {
        out += c + (text[i + 1] ?? '');
        i++;
      } else if (c === '"') {
        inString = false;
        out += c;
      } else {
        out += escapeControl(c);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 1;
    } else if (c === ',' && /^\s*[}\]]/.test(nextCode(text, i + 1))) {
      // trailing comma: skip it
    } else {
      out += c;
    }
  }
  return out;
}

/** The text after `from` with leading whitespace and comments removed (enough to see the next token). */
function nextCode(text: string, from: number): string {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (text.startsWith('//', i)) {
      const eol = text.indexOf('\n', i);
      if (eol === -1) return '';
      i = eol + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) return '';
      i = close + 2;
    } else {
      return text.slice(i, i + 1);
    }
  }
}

function escapeControl(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0x20) return c;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}
