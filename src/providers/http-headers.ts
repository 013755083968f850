// The WHATWG Headers class, for the providers' own fetch (http-fetch.ts) and, in the built CLI, for the model clients
// bundled with it. Node's own Headers lives in its bundled undici, whose first use loads and runs that whole library:
// ~40 ms of every commit that talks to a model (measured), for a case-insensitive multimap. This one follows the
// standard where the clients and our checks can tell: names and values are validated (a CR or LF in a value is
// refused, never sent), names compare without case, values of one name combine with ", ", and iteration is sorted
// by name with each Set-Cookie apart.

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LEADING_OR_TRAILING_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const FORBIDDEN_IN_VALUE = /[\0\r\n]/;

/** Anything that iterates its entries the way Headers does: our class, Node's, a Map. */
interface HeadersLike {
  forEach(callback: (value: string, name: string) => void): void;
}

function isHeadersLike(init: unknown): init is HeadersLike {
  return typeof init === 'object' && init !== null && !Array.isArray(init) && typeof (init as { forEach?: unknown }).forEach === 'function';
}

function checkedName(name: string, method: string): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header name.`);
  return text.toLowerCase();
}

function checkedValue(value: string, name: string, method: string): string {
  const text = String(value).replace(LEADING_OR_TRAILING_WHITESPACE, '');
  if (FORBIDDEN_IN_VALUE.test(text)) throw new TypeError(`Headers.${method}: the value of "${name}" is an invalid header value.`);
  return text;
}

export class HttpHeaders implements Headers {
  readonly #values = new Map<string, string[]>();

  constructor(init?: ConstructorParameters<typeof Headers>[0] | HeadersLike | Iterable<readonly [string, string]> | null) {
    if (init === undefined || init === null) return;
    if (isHeadersLike(init)) {
      init.forEach((value, name) => this.append(name, value));
    } else if (Symbol.iterator in Object(init)) {
      for (const pair of init as Iterable<readonly string[]>) {
        if (pair.length !== 2) throw new TypeError('Headers constructor: expected name/value pairs.');
        this.append(pair[0]!, pair[1]!);
      }
    } else {
      for (const [name, value] of Object.entries(init as Record<string, string | readonly string[]>)) {
        for (const one of typeof value === 'string' ? [value] : value) this.append(name, one);
      }
    }
  }

  append(name: string, value: string): void {
    const key = checkedName(name, 'append');
    const values = this.#values.get(key);
    const checked = checkedValue(value, key, 'append');
    if (values) values.push(checked);
    else this.#values.set(key, [checked]);
  }

  set(name: string, value: string): void {
    const key = checkedName(name, 'set');
    this.#values.set(key, [checkedValue(value, key, 'set')]);
  }

  delete(name: string): void {
    this.#values.delete(checkedName(name, 'delete'));
  }

  get(name: string): string | null {
    return this.#values.get(checkedName(name, 'get'))?.join(', ') ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(checkedName(name, 'has'));
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  *entries(): HeadersIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name) ?? [];
      if (name === 'set-cookie') for (const value of values) yield [name, value];
      else yield [name, values.join(', ')];
    }
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}

type HeadersIterator<T> = Generator<T, undefined, unknown>;
