// The shape of a built-in rule. Rules are data: the tables in secrets.ts and code.ts are read by two readers,
// `runBuiltinRules` (findings on added lines) and `redact` (masking before text leaves the machine).
import type { Category, DiffFile, Severity } from '../types.js';

interface RuleInfo {
  /** Stable id, used in findings, `disableRules`, `codeai-ignore: <id>` and baselines. */
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  /** What to do about it; becomes the finding's suggestion. */
  hint: string;
}

/** A rule matched against the text of one line. */
export interface LineRule extends RuleInfo {
  /** Matched against one line. Write it without the g/d flags: the scanner adds what it needs. */
  pattern: RegExp;
  /**
   * Lower-case substrings; the regex runs only on lines containing at least one of them. This cheap prefilter is
   * what keeps a 100,000-line diff fast, so every rule has one.
   */
  keywords: string[];
  /** The capture group holding the secret (default: the whole match). Its text is what gets masked or redacted. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per char) of the secret: separates generated keys from words. */
  minEntropy?: number;
  /** A match whose secret (or matched text, for code rules) matches this is a known placeholder, not a finding. */
  allow?: RegExp;
  /** Lines matching this are not checked (comment lines, for rules about code that runs). */
  skipLines?: RegExp;
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

/** A rule about a changed file as a whole (its name, its size). */
export interface FileRule extends RuleInfo {
  check: (file: DiffFile) => FileHit | null;
}
