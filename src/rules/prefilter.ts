// The keyword prefilter: which rules may match a line, found in one pass over it. An Aho–Corasick automaton reads
// each character once (amortised) whatever the number of keywords (a regex alternation of 300 keywords, tried at
// every position, made a 10 MB line take seconds), so the cost of a line is its length, not its length times the
// table. Transitions are sparse (a Map per state, a table for the root, where most characters stay): building the
// automaton is proportional to the keywords' characters, a few milliseconds less on every hook run than a full
// 128-wide table. It is built only once the text read is worth it (keywordFinder): until then, pairs of characters
// are looked up among the keywords' first two.

/** Lower-case ASCII keywords only: every character outside ASCII leads back to the root, never into a keyword. */
const ALPHABET = 128;

export interface KeywordAutomaton<T> {
  /** The values of every keyword found in `lower` (a lower-cased line), or an empty set. */
  find(lower: string): ReadonlySet<T>;
}

/**
 * Work (characters read, plus `CHECK_COST` per keyword compared) done by pair lookup before the automaton is built.
 * Building it cost a hook run ~3–4 ms (CPU profile), while a commit's few lines and the lines the hook prints cost
 * microseconds by pairs. Ordinary text compares a keyword at few positions, so a large change may never need the
 * automaton; text dense in keyword starts (a minified bundle, a line of `sk-sk-sk-…`) reaches the budget soon, and
 * from there every line costs its length whatever it holds, as before.
 */
const PAIR_BUDGET = 1 << 20;
const CHECK_COST = 8;

/**
 * The keyword prefilter for `keywords` (each keyword, once, with the values it wakes): what `keywordAutomaton` finds, found first by looking up each pair of adjacent characters
 * of the line among the keywords' first two characters, and comparing only the keywords that start so; then, once
 * the work done is worth it, by the automaton, built on first need. Both find the values of exactly the keywords
 * that occur in the line (a keyword is lower-case ASCII, so it never spans a character outside ASCII);
 * test/rules/prefilter.test.ts checks that they agree, before, at and after the switch.
 */
export function keywordFinder<T>(keywords: ReadonlyArray<readonly [string, readonly T[]]>, budget = PAIR_BUDGET): KeywordAutomaton<T> {
  // Typed arrays and indexed loops: this runs a few times per hook run, in V8's interpreter.
  const words: string[] = [];
  const wakes: Array<readonly T[]> = [];
  // Keywords by their first two characters, as linked lists: head[pair] → a keyword, next[keyword] → another.
  const head = new Int32Array(ALPHABET * ALPHABET).fill(-1);
  const next = new Int32Array(keywords.length).fill(-1);
  const short: number[] = [];
  for (let k = 0; k < keywords.length; k++) {
    const [word, values] = keywords[k]!;
    words.push(word);
    wakes.push(values);
    if (word.length < 2) {
      short.push(k);
      continue;
    }
    const pair = word.charCodeAt(0) * ALPHABET + word.charCodeAt(1);
    if (word.charCodeAt(0) >= ALPHABET || word.charCodeAt(1) >= ALPHABET) throw new Error(`keyword '${word}' is not ASCII`);
    next[k] = head[pair]!;
    head[pair] = k;
  }
  let automaton: KeywordAutomaton<T> | null = null;
  let spent = 0;
  const empty: ReadonlySet<T> = new Set();
  return {
    find(lower) {
      if (automaton) return automaton.find(lower);
      let found: Set<T> | null = null;
      const wake = (k: number) => {
        found ??= new Set();
        const values = wakes[k]!;
        for (let v = 0; v < values.length; v++) found.add(values[v]!);
      };
      for (let i = 0; i + 1 < lower.length; i++) {
        // Also within a line: one long line dense in keywords (a minified bundle) is the case the automaton is for.
        if (++spent > budget) {
          automaton = keywordAutomaton(new Map(keywords));
          return automaton.find(lower);
        }
        const a = lower.charCodeAt(i);
        const b = lower.charCodeAt(i + 1);
        if (a >= ALPHABET || b >= ALPHABET) continue;
        for (let k = head[a * ALPHABET + b]!; k !== -1; k = next[k]!) {
          spent += CHECK_COST;
          if (lower.startsWith(words[k]!, i)) wake(k);
        }
      }
      for (const k of short) if (lower.includes(words[k]!)) wake(k);
      return found ?? empty;
    },
  };
}

/** Builds the automaton for `keywords` (keyword → the values it wakes). Keywords must be lower-case ASCII. */
export function keywordAutomaton<T>(keywords: ReadonlyMap<string, readonly T[]>): KeywordAutomaton<T> {
  const values = [...new Set([...keywords.values()].flat())];
  const number = new Map(values.map((v, i) => [v, i]));
  const next: Array<Map<number, number>> = [new Map()];
  const outputs: number[][] = [[]];
  for (const [word, wakes] of keywords) {
    let s = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= ALPHABET) throw new Error(`keyword '${word}' is not ASCII`);
      let t = next[s]!.get(c);
      if (t === undefined) {
        t = next.length;
        next.push(new Map());
        outputs.push([]);
        next[s]!.set(c, t);
      }
      s = t;
    }
    outputs[s]!.push(...wakes.map((v) => number.get(v)!));
  }
  const root = new Int32Array(ALPHABET);
  for (const [c, t] of next[0]!) root[c] = t;
  // Failure links, breadth first, so a state's link is known before its children need it; each state's outputs
  // gather those of its link (a line holding 'sk-ant-' also holds 'sk-').
  const fail = new Int32Array(next.length);
  const queue = [...next[0]!.values()];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    for (const [c, t] of next[s]!) {
      let f = fail[s]!;
      while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
      const link = f === 0 ? root[c]! : next[f]!.get(c)!;
      fail[t] = link === t ? 0 : link;
      if (outputs[fail[t]!]!.length > 0) outputs[t] = [...outputs[t]!, ...outputs[fail[t]!]!];
      queue.push(t);
    }
  }
  const outputIds = outputs.map((o) => (o.length > 0 ? Int32Array.from(new Set(o)) : null));
  // Marks of what the current line found, by generation, instead of a Set filled per keyword occurrence.
  const seen = new Uint32Array(values.length);
  let generation = 0;
  const empty: ReadonlySet<T> = new Set();
  return {
    find(lower) {
      let found: T[] | null = null;
      if (++generation === 0xffffffff) {
        seen.fill(0);
        generation = 1;
      }
      let s = 0;
      for (let i = 0; i < lower.length; i++) {
        const c = lower.charCodeAt(i);
        if (c >= ALPHABET) {
          s = 0;
          continue;
        }
        while (s !== 0 && !next[s]!.has(c)) s = fail[s]!;
        s = s === 0 ? root[c]! : next[s]!.get(c)!;
        const ids = outputIds[s];
        if (!ids) continue;
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          if (seen[id] === generation) continue;
          seen[id] = generation;
          (found ??= []).push(values[id]!);
        }
      }
      return found ? new Set(found) : empty;
    },
  };
}
