// The keyword prefilter: which rules may match a line, found in one pass over it. An Aho–Corasick automaton reads
// each character once (amortised) whatever the number of keywords (a regex alternation of 300 keywords, tried at
// every position, made a 10 MB line take seconds), so the cost of a line is its length, not its length times the
// table. Transitions are sparse (a Map per state, a table for the root, where most characters stay): building the
// automaton is proportional to the keywords' characters, a few milliseconds less on every hook run than a full
// 128-wide table.

/** Lower-case ASCII keywords only: every character outside ASCII leads back to the root, never into a keyword. */
const ALPHABET = 128;

export interface KeywordAutomaton<T> {
  /** The values of every keyword found in `lower` (a lower-cased line), or an empty set. */
  find(lower: string): ReadonlySet<T>;
}

/**
 * Text looked at keyword by keyword (its length plus a per-line overhead, in characters, times the number of
 * keywords) before the automaton is built. Building it costs a hook run ~3–4 ms (CPU profile), while a commit's few
 * lines and the lines the hook prints cost tens of microseconds with `includes`; a large change pays at most about
 * the automaton's construction again before it switches, and from there every line costs its length, as before.
 */
const NAIVE_BUDGET = 1 << 22;
/** What one `includes` call costs beyond the characters it reads, in characters. */
const CALL_COST = 32;

/**
 * The keyword prefilter: what `keywordAutomaton` finds, looked up keyword by keyword (`includes`) while little text
 * has been read, and by the automaton, built on first need, once the text read is worth its construction. Both
 * find the values of exactly the keywords that occur in the line (a keyword is ASCII, so it never spans a
 * character the automaton resets on); test/rules/prefilter.test.ts checks that they agree.
 */
export function keywordFinder<T>(keywords: ReadonlyMap<string, readonly T[]>, budget = NAIVE_BUDGET): KeywordAutomaton<T> {
  const words = [...keywords];
  let automaton: KeywordAutomaton<T> | null = null;
  let spent = 0;
  const empty: ReadonlySet<T> = new Set();
  return {
    find(lower) {
      if (automaton) return automaton.find(lower);
      spent += words.length * (lower.length + CALL_COST);
      if (spent > budget) {
        automaton = keywordAutomaton(keywords);
        return automaton.find(lower);
      }
      let found: Set<T> | null = null;
      for (const [word, wakes] of words) {
        if (!lower.includes(word)) continue;
        found ??= new Set();
        for (const v of wakes) found.add(v);
      }
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
