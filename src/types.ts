// The shapes that flow through the pipeline: git → DiffFile[] → ReviewUnit[] → ModelRequest → Finding[] → Verdict.
// Every stage is a pure function of these, so each can be tested without git, network or terminal.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ['bug', 'security', 'performance', 'style', 'improvement'] as const;
export type Category = (typeof CATEGORIES)[number];

/** How sure the reviewer is that a finding is real; `block.minConfidence` keeps the less sure from blocking. */
export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Higher is surer: high = 2, low = 0. */
export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.length - 1 - CONFIDENCES.indexOf(c);
}

/** Higher is worse: critical = 4, info = 0. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

// ---------- diff ----------

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

export interface DiffLine {
  kind: 'add' | 'del' | 'context';
  /** The line without its +/-/space prefix and without the line terminator (a trailing \r of a CRLF file is removed). */
  text: string;
  /** Line number on the old side (del, context). */
  oldLine?: number;
  /** Line number on the new side (add, context). */
  newLine?: number;
  /** Followed by "\ No newline at end of file". */
  noNewline?: boolean;
  /**
   * Wider context for the model only (diff/context.ts): the line is shown from this context level up (1 near the
   * change, 2 the enclosing scope, 3 a declaration). Absent on the diff's own lines, which are always shown.
   */
  level?: ContextLevel;
}

/** 0: the diff as git prints it (contextLines); 1: near the change; 2: the enclosing scope; 3: declarations too. */
export type ContextLevel = 0 | 1 | 2 | 3;

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the second @@ (the function heading git prints), may be empty. */
  heading: string;
  lines: DiffLine[];
}

export interface DiffFile {
  /** Repo-relative path on the new side (the old path for a deletion), unquoted, '/'-separated. */
  path: string;
  /** Set for renames and copies. */
  oldPath?: string;
  status: FileStatus;
  binary: boolean;
  /** A submodule (gitlink) pointer change: listed, never sent. */
  submodule?: boolean;
  oldMode?: string;
  newMode?: string;
  /** Rename/copy similarity, 0-100. */
  similarity?: number;
  /** The file's lines use CRLF endings. */
  crlf?: boolean;
  /** Lines inside a private key, as the whole file shows them on each side (rules/key-blocks.ts): never sent. */
  keyLines?: { old: number[]; new: number[] };
  hunks: Hunk[];
  added: number;
  removed: number;
}

export interface SkippedFile {
  path: string;
  /** One short phrase a user understands: "excluded by 'dist/**'", "lockfile", "binary", "larger than 200 KB". */
  reason: string;
}

/** One file's share of a ReviewUnit: whole hunks, or the lines of one hunk when a hunk alone exceeds the budget. */
export interface UnitFile {
  path: string;
  oldPath?: string;
  status: FileStatus;
  hunks: Hunk[];
  /** Present when the file was split over several units. */
  part?: { index: number; total: number };
}

export interface ReviewUnit {
  /** Stable id: hash of text. */
  id: string;
  files: UnitFile[];
  /** The diff text sent to the model (already redacted). */
  text: string;
  /** Estimated tokens of text. */
  tokens: number;
}

// ---------- findings and verdict ----------

export interface Finding {
  file: string;
  line: number;
  endLine?: number;
  severity: Severity;
  category: Category;
  title: string;
  message: string;
  suggestion?: string;
  source: 'model' | 'builtin';
  /** Built-in rule id ("aws-access-key") or, for model findings, absent. */
  rule?: string;
  /** The source text of `line` on the new side, filled in from the diff for display and fingerprints. */
  code?: string;
  /** A short explanation, added by `run --explain` to blocking findings. */
  explanation?: string;
  /** How sure the reviewer is (the model says; each built-in rule declares it). Absent counts as high. */
  confidence?: Confidence;
  /** A change that fixes it, checked against the new side's content (src/fix/): absent when there is none. */
  fix?: Fix;
}

/** The new text of new-side lines startLine..endLine of the finding's file. */
export interface Fix {
  startLine: number;
  endLine: number;
  /** The lines that replace them, each ending in "\n"; '' removes them. */
  replacement: string;
  /** Those lines as the new side holds them, each ending in "\n" but a last line without one; set by the check. */
  original?: string;
}

/** A fix that did not pass its check: the finding stays, without it. */
export interface DroppedFix {
  file: string;
  line: number;
  /** Why, in a few words: "line 4 no longer matches the staged content". */
  reason: string;
}

export interface Verdict {
  blocked: boolean;
  /** One line per rule that blocked, e.g. "2 high findings at or above high (block.severity): a.ts:3 SQL injection". */
  reasons: string[];
  /** Each reason without the findings it names ("2 high findings at or above high (block.severity)"), same order. */
  rules: string[];
  counts: Record<Severity, number>;
  /** Indexes into the findings list of the findings that caused the block. */
  blocking: number[];
}

// ---------- policy ----------

export const PROVIDER_NAMES = ['ollama', 'openai', 'deepseek', 'anthropic', 'openai-compatible', 'builtin', 'auto'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const REVIEW_AT = ['pre-commit', 'commit-msg'] as const;
export type ReviewAt = (typeof REVIEW_AT)[number];

export const ON_ERROR = ['block', 'warn', 'allow'] as const;
export type OnError = (typeof ON_ERROR)[number];

export interface BlockRule {
  /** Any finding at or above this severity blocks; 'none' disables the threshold. */
  severity: Severity | 'none';
  /** More than N findings of a severity blocks. */
  max: Partial<Record<Severity, number>>;
  /** Findings less sure than this are shown but never block. */
  minConfidence: Confidence;
}

export interface PolicyOverride {
  files: string[];
  block?: Partial<BlockRule>;
  categories?: Category[];
  instructions?: string;
}

export interface Policy {
  provider: ProviderName;
  /** Absent: the provider's default model. */
  model?: string;
  baseURL?: string;
  block: BlockRule;
  categories: Category[];
  include: string[];
  exclude: string[];
  /** Skip lockfiles, minified, generated and vendored files (each listed with its reason). */
  defaultExcludes: boolean;
  /** Absent: 'warn' for the hook, 'block' for ci (see DESIGN.md). */
  onError?: OnError;
  timeoutMs: number;
  concurrency: number;
  maxDiffTokens: number;
  contextLines: number;
  /** Also send the enclosing function or block and the declarations the change uses, as far as the budget allows. */
  scopeContext: boolean;
  /** Which hook runs the review: pre-commit (default), or commit-msg so the commit message is part of it. */
  reviewAt: ReviewAt;
  /** Files whose added text exceeds this many bytes are skipped (listed with the reason). */
  maxFileBytes: number;
  instructions?: string;
  /**
   * Team instruction files written for coding agents (AGENTS.md, CLAUDE.md, Copilot's and Cursor's rules), passed to
   * the reviewer as conventions: true finds the known ones, false reads none, a list names the files to read.
   */
  instructionFiles: boolean | string[];
  overrides: PolicyOverride[];
  /** Built-in rule ids to turn off. */
  disableRules: string[];
  sendToCloud: 'allow' | 'redacted-only' | 'never';
  /** Skip the review while a rebase / cherry-pick / revert is in progress. */
  skipDuringRebase: boolean;
  /** Optional commit-msg hook checks. */
  commitMessage: { convention: 'conventional' | 'none' };
}

export interface LoadedPolicy {
  policy: Policy;
  /** Absolute path of the config file used, or null when defaults apply. */
  file: string | null;
}

// ---------- providers ----------

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ModelRequest {
  system: string;
  messages: ChatMessage[];
  /** JSON schema of the answer object; providers pass it as structured output where the server supports it. */
  schema: Record<string, unknown>;
  /** Upper bound on the answer's tokens. */
  maxTokens: number;
}

export interface ProbeResult {
  latencyMs: number;
  /** Models the server lists, when it does so cheaply. */
  models?: string[];
}

export interface ModelProvider {
  readonly name: Exclude<ProviderName, 'builtin' | 'auto'>;
  readonly model: string;
  /** Base URL, shown in every error. */
  readonly endpoint: string;
  /** True when the text stays on this machine (loopback endpoint). */
  readonly local: boolean;
  /** Resolves to the raw model text; rejects with ProviderError only. */
  review(request: ModelRequest, signal: AbortSignal): Promise<string>;
  /** A 1-token request; rejects with ProviderError. */
  probe(signal: AbortSignal): Promise<ProbeResult>;
}

// ---------- result ----------

export interface FileReport {
  path: string;
  oldPath?: string;
  status: FileStatus;
  added: number;
  removed: number;
  /** Reviewed by the model (and the built-in rules). */
  reviewed: boolean;
  /** Why it was not reviewed by the model; absent when reviewed. */
  skipped?: string;
  /** Reviewed, but part of it was not (e.g. a line longer than the token budget, truncated). */
  partial?: string;
}

/** The model's summary of the whole change (review/summary.ts), at the head of the pull-request review. */
export interface ChangeSummary {
  /** What the change does and why, a few sentences. */
  overview: string;
  /** One line per file, for files of the change only. */
  files: { path: string; note: string }[];
  risk?: 'low' | 'medium' | 'high';
  riskReason?: string;
}

/** A finding hidden by a `codeai-ignore` comment or the baseline, with the reason given. */
export interface SuppressedFinding {
  finding: Finding;
  kind: 'inline' | 'baseline';
  /** The text after the rule ids in the comment ('' when none was given), or why the baseline hides it. */
  reason: string;
}

/** A finding the model gave that could not be placed on a changed line of its unit, and so was not shown. */
export interface DroppedFinding {
  reason: string;
  title?: string;
}

export interface ReviewResult {
  version: 1;
  verdict: Verdict;
  /** Sorted by file, line, severity (worst first), title. */
  findings: Finding[];
  suppressed: { inline: number; baseline: number };
  /** Each suppressed finding with its reason (absent in results built before reasons were kept). */
  suppressions?: SuppressedFinding[];
  /** Model findings refused because they point outside the diff (or repeat, or cannot be read), with why. */
  dropped?: DroppedFinding[];
  files: FileReport[];
  /** 'builtin' when no model took part. */
  provider: string;
  model: string | null;
  /** Why this provider: "ollama answered at http://127.0.0.1:11434". */
  providerReason: string;
  units: number;
  /** Estimated tokens of diff text in the units (the prompt size, without the system prompt). */
  tokens: number;
  calls: number;
  cached: number;
  /** One line per unit that could not be reviewed by the model. */
  errors: string[];
  /** True when some unit could not be reviewed (then onError decides). */
  incomplete: boolean;
  /** ci and review --base: the model's summary of the change; absent when none was asked for or written. */
  summary?: ChangeSummary;
  /** Why a summary that was asked for is missing (the review itself stands). */
  summaryError?: string;
  /** In ci: which policy applied (repo-relative file, or null for the defaults), from where, and the policy files the range changes. */
  policy?: { file: string | null; from: string; changed: string[] };
  /** What the command's policy makes of an incomplete review, so every report words the verdict as the exit code says. */
  onError?: OnError;
  /** Fixes (model or built-in) that failed their check and were taken off their findings. */
  droppedFixes?: DroppedFix[];
  timings: { prepareMs: number; reviewMs: number; totalMs: number };
}
