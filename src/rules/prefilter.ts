// The keyword prefilter: which rules may match a line, found in one pass over it. An Aho–Corasick automaton reads
// each character once whatever the number of keywords (a regex alternation of 300 keywords, tried at every
// position, made a 10 MB line take seconds), so the cost of a line is its length, not its length times the table.

/** Lower-case ASCII keywords only: every character outside ASCII leads back to the root, never into a keyword. */
const ALPHABET = 128;

export interface KeywordAutomaton<T> {
  /** The values of every keyword found in `lower` (a lower-cased line), or an empty set. */
  find(lower: string): ReadonlySet<T>;
}

/** Builds the automaton for `keywords` (keyword → the values it wakes). Keywords must be lower-case ASCII. */
export function keywordAutomaton<T>(keywords: ReadonlyMap<string, readonly T[]>): KeywordAutomaton<T> {
  // goto table: state * ALPHABET + char → next state; -1 until completed into a DFA below.
  let next = new Int32Array(ALPHABET).fill(-1);
  const outputs: T[][] = [[]];
  let states = 1;
  for (const [word, values] of keywords) {
    let s = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= ALPHABET) throw new Error(`keyword '${word}' is not ASCII`);
      let t = next[s * ALPHABET + c]!;
      if (t === -1) {
        if ((states + 1) * ALPHABET > next.length) {
          const grown = new Int32Array(next.length * 2).fill(-1);
          grown.set(next);
          next = grown;
        }
        t = states++;
        outputs.push([]);
        next[s * ALPHABET + c] = t;
      }
      s = t;
    }
    outputs[s]!.push(...values);
  }
  // Breadth-first: each state's failure link is complete before its children need it, so missing transitions can
  // be copied from the failure state and the automaton becomes a plain DFA (one table read per character).
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let c = 0; c < ALPHABET; c++) {
    const t = next[c]!;
    if (t === -1) next[c] = 0;
    else {
      fail[t] = 0;
      queue.push(t);
    }
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    const inherited = outputs[fail[s]!]!;
    if (inherited.length > 0) outputs[s] = [...outputs[s]!, ...inherited];
    for (let c = 0; c < ALPHABET; c++) {
      const t = next[s * ALPHABET + c]!;
      const viaFail = next[fail[s]! * ALPHABET + c]!;
      if (t === -1) next[s * ALPHABET + c] = viaFail;
      else {
        fail[t] = viaFail;
        queue.push(t);
      }
    }
  }
  const table = next.subarray(0, states * ALPHABET);
  // Values by number, so that a line marks what it found in a typed array instead of filling a Set per keyword.
  const values = [...new Set(outputs.flat())];
  const number = new Map(values.map((v, i) => [v, i]));
  const outputIds = outputs.map((o) => (o.length > 0 ? Int32Array.from(new Set(o), (v) => number.get(v)!) : null));
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
        s = c < ALPHABET ? table[s * ALPHABET + c]! : 0;
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
