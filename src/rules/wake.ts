// Which line rules a line may match, answered from the generated index (wake-index.ts: each rule's id, keywords and
// `needs`) before the tables exist: the tables are built only when a line wakes a rule whose needs it holds. On
// a one-line commit, and for the lines the hook prints ("✔ passed · no findings" holds `pass` but no `=`), that is
// never, and building them cost each hook run ~5 ms (measured).
import { keywordFinder, type KeywordAutomaton } from './prefilter.js';
import { lineRules } from './table.js';
import type { LineRule } from './types.js';
import { WAKE_INDEX } from './wake-index.js';

type Needs = ReadonlyArray<readonly string[]>;
/** As wake-index.ts writes them: each rule's id, 1 for a secrets rule, its needs; each keyword with its rules. */
interface IndexData {
  files: string[];
  rules: Array<[id: string, secret: 0 | 1, needs?: Needs]>;
  keywords: Array<[keyword: string, rules: number[]]>;
}

interface Index {
  data: IndexData;
  finder: KeywordAutomaton<number>;
}

let index: Index | null = null;

function wakeIndex(): Index {
  if (index) return index;
  const data = JSON.parse(WAKE_INDEX) as IndexData;
  index = { data, finder: keywordFinder(data.keywords) };
  return index;
}

/** Does `text` hold one string of each group (see LineRule.needs)? */
export function holdsNeeds(text: string, needs: Needs): boolean {
  return needs.every((group) => group.some((s) => text.includes(s)));
}

const NONE: readonly LineRule[] = [];

/**
 * The line rules whose keywords occur in `text` (lower-cased) and whose needs it holds, in table order. What the
 * rules then find is theirs to say: this only leaves out rules that cannot match.
 */
export function wakeRules(text: string): readonly LineRule[] {
  const { finder, data } = wakeIndex();
  const found = finder.find(text.toLowerCase());
  if (found.size === 0) return NONE;
  const positions: number[] = [];
  for (const i of found) {
    const n = data.rules[i]![2];
    if (n === undefined || holdsNeeds(text, n)) positions.push(i);
  }
  if (positions.length === 0) return NONE;
  const rules = lineRules();
  return positions.sort((a, b) => a - b).map((i) => rules[i]!);
}

/** Every built-in rule id, in table order (for validating `disableRules` and for documentation). */
export function builtinRuleIds(): string[] {
  const { rules, files } = wakeIndex().data;
  return [...rules.map((r) => r[0]), ...files];
}

let ranks: Map<string, number> | null = null;

/** A rule's position in the table (line rules, then file rules): findings on one line are sorted by it. */
export function ruleRank(id: string): number {
  ranks ??= new Map(builtinRuleIds().map((r, i) => [r, i]));
  return ranks.get(id) ?? 0;
}
