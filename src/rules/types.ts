// The shape of a built-in rule. Rules are data: the tables under secrets/ and in code.ts are read by two readers,
// `runBuiltinRules` (findings on added lines) and `redact` (masking before text leaves the machine).
import type { Category, DiffFile, Severity } from '../types.js';
import type { Region } from './lexer.js';

interface RuleInfo {
  /** Stable id, used in findings, `disableRules`, `codeai-ignore: <id>` and baselines. */
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  /** What to do about it; becomes the finding's suggestion. */
  hint: string;
  /** The README's "does not catch" column: what this rule misses on purpose or cannot see. */
  limits: string;
  /** The README's grouping (a provider family: "Source hosting and packages", "Cloud"…). */
  family: string;
  /**
   * In test, fixture and example code the finding is lowered to this severity (it still shows). For code rules
   * (an `eval` in a test is how tests are written) and for secrets found by their name rather than their shape
   * (test passwords are fixtures); never for a provider's key, which is a leak wherever it sits.
   */
  inTests?: Severity;
}

/** A rule matched against the text of one line. */
export interface LineRule extends RuleInfo {
  /**
   * Builds the regex matched against one line, written without the g/d flags (the scanner adds what it needs). Built
   * on the rule's first run, once per process: V8 parses a regex when it is constructed, and constructing the
   * table's ~230 patterns when it was loaded cost every commit ~1 ms, while a commit's lines wake few rules.
   */
  pattern: () => RegExp;
  /**
   * Lower-case ASCII substrings; the regex runs only on lines containing at least one of them. This prefilter is
   * what keeps a 100,000-line diff fast, so every rule has one. The hook reads them (and `needs`) from
   * wake-index.ts, generated from the tables: `npx tsx scripts/rules-index.ts --write` after changing them.
   */
  keywords: string[];
  /**
   * Text every match needs, as groups of strings: the line holds at least one string of each group (case-sensitive,
   * anywhere), or the pattern is not run. For rules woken by everyday words (`pass`, `token`, `select`): the first
   * run of a pattern compiles it (1–8 ms for these, measured), and most lines holding such a word hold no assignment,
   * quote or SQL. Only what the pattern itself requires (an `=` or `:` its assignment cannot do without), so that
   * nothing is found or masked differently: test/rules/needs.test.ts tries to find a match without them.
   */
  needs?: ReadonlyArray<readonly string[]>;
  /**
   * Also run on the text a base64 value on the line decodes to (encoded.ts): a key of this format stored encoded is
   * found, reported and redacted as this rule's, the whole encoded value masked. Set for keys of a specific format (a
   * prefix, a structure, a checksum), which decoded text holds only when it holds the key; never for the rules that
   * judge a value by its name or its entropy, which would take any decoded `user:password` for a secret.
   */
  inBase64?: boolean;
  /** The capture group holding the secret (default: the whole match). Its text is what gets masked or redacted. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per char) of the secret: separates generated keys from words. */
  minEntropy?: number;
  /**
   * The last word on the secret, after `minEntropy`: a checksum, a structure that must decode, a
   * judgement of the value (`match` gives the other groups: a URL's user and host). False means a look-alike:
   * neither reported nor redacted.
   */
  verify?: (secret: string, match: RegExpExecArray) => boolean;
  /** Lines matching this are not checked (comment lines, in files whose language the lexer does not read). */
  skipLines?: RegExp;
  /** A match starting in one of these regions (by the lexer, for the languages it reads) does not count. */
  outside?: Region[];
  /** Restricts the rule to some paths (repo-relative, '/'-separated). */
  fileFilter?: (path: string) => boolean;
  /** The match counts only when another added line within `lines` lines matches `pattern`. */
  near?: { pattern: RegExp; lines: number };
  /**
   * The secret goes on over the following lines (a PEM block) up to the first line matching `end`. `body` tells
   * what a line inside the block looks like: a line that is not body ends the block early (code that only
   * mentions a header), and body lines above an `end` whose start the diff does not show are part of the block.
   */
  block?: { end: RegExp; body: RegExp };
}

/** Where a file-level rule found something. */
export interface FileHit {
  /** New-side line the finding points at (the first added line, or 1). */
  line: number;
  /** What was found, in a few words ("5200 added lines"). */
  found: string;
}

/** A rule about a changed file as a whole (its name, its size, what its lines add up to). */
export interface FileRule extends RuleInfo {
  check: (file: DiffFile) => FileHit | null;
  /** Also looks at binary files (a PKCS#12 key store is binary). */
  binary?: boolean;
}
