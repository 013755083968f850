// Evidence coverage (npm run bench, case 6; or alone: npx tsx bench/evidence-coverage.ts): for every case of the
// shipped labelled set, are the lines a reviewer needs (the bug line and the declaration or condition it depends on,
// marked `evidence` in the case) in the prompt the fake server receives, with git's usual 3 lines of context and with
// the wider context? And what does each prompt cost in tokens? No model is involved: the fake answers nothing found.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { widenForModel } from '../src/session/scope-context.js';
import { pairFiles } from '../src/session/diffs.js';
import { estimateTokens } from '../src/diff/tokens.js';
import { loadCases, type EvalCase } from '../src/eval/cases.js';
import { openRepo } from '../src/git/repo.js';
import { scratchRepo } from '../src/git/scratch.js';
import { DEFAULT_POLICY } from '../src/policy/defaults.js';
import { reviewDiff } from '../src/pipeline.js';
import { createProvider } from '../src/providers/create.js';
import type { Policy } from '../src/types.js';
import { startFakeOllama, type FakeServer } from '../test/fakes/index.js';
import { median } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = path.join(here, '..', 'eval', 'cases');

export interface Coverage {
  /** Evidence lines in the prompt / all evidence lines. */
  lines: { covered: number; total: number };
  /** Cases whose every evidence line is in the prompt. */
  cases: { covered: number; total: number };
  /** Median estimated tokens of the whole prompt (system and user message) per case. */
  medianPromptTokens: number;
  /** Median estimated tokens of the diff text alone per case. */
  medianDiffTokens: number;
  /** Case ids with evidence left out. */
  missed: string[];
}

interface ContextMode {
  scopeContext: boolean;
}

/** Is new-side line `n` with `text` rendered in `prompt` (as "  n   text" or "  n + text")? */
export function showsLine(prompt: string, n: number, text: string): boolean {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^ *${n} [ +] ${escaped}$`, 'm').test(prompt);
}

async function measure(cases: EvalCase[], fake: FakeServer, mode: ContextMode): Promise<Coverage> {
  const policy: Policy = { ...DEFAULT_POLICY, provider: 'ollama', model: 'bench-model', baseURL: fake.url, scopeContext: mode.scopeContext };
  const provider = createProvider(policy, {});
  const coverage: Coverage = { lines: { covered: 0, total: 0 }, cases: { covered: 0, total: 0 }, medianPromptTokens: 0, medianDiffTokens: 0, missed: [] };
  const promptTokens: number[] = [];
  const diffTokens: number[] = [];
  for (const c of cases) {
    if (c.change.kind !== 'files') continue;
    const scratch = await scratchRepo([{ path: c.change.path, before: c.change.fixed, after: c.change.buggy }]);
    try {
      const repo = await openRepo(scratch.dir);
      const files = await pairFiles(repo, scratch.from, scratch.to, policy.contextLines);
      const from = fake.requests.length;
      const result = await reviewDiff(files, {
        policy,
        chooseProvider: async () => ({ provider, reason: 'bench: fake ollama' }),
        cache: null,
        userSignal: new AbortController().signal,
        baseline: null,
        suppress: false,
        ...(mode.scopeContext ? { widenForModel: (selected) => widenForModel(repo, { kind: 'range', from: scratch.from, to: scratch.to }, policy.contextLines, selected) } : {}),
      });
      if (result.incomplete) throw new Error(`${c.id}: review incomplete: ${result.errors[0]}`);
      const prompts = fake.requests.slice(from).filter((r) => r.path === '/api/chat').map((r) => (r.body as { messages: { content: string }[] }).messages);
      const text = prompts.map((messages) => messages.map((m) => m.content).join('\n')).join('\n');
      promptTokens.push(estimateTokens(text));
      diffTokens.push(result.tokens);
      const buggy = c.change.buggy.split('\n');
      let all = true;
      for (const label of c.evidence) {
        for (const n of label.lines) {
          coverage.lines.total++;
          if (showsLine(text, n, buggy[n - 1]!)) coverage.lines.covered++;
          else all = false;
        }
      }
      coverage.cases.total++;
      if (all) coverage.cases.covered++;
      else coverage.missed.push(c.id);
    } finally {
      await scratch.remove();
    }
  }
  coverage.medianPromptTokens = median(promptTokens);
  coverage.medianDiffTokens = median(diffTokens);
  return coverage;
}

export async function benchEvidenceCoverage(dir = CASES_DIR): Promise<{ cases: number; today: Coverage; scoped: Coverage }> {
  const cases = await loadCases(dir);
  const fake = await startFakeOllama({ models: ['bench-model'] });
  fake.setDefault({ findings: [] });
  try {
    const today = await measure(cases, fake, { scopeContext: false });
    const scoped = await measure(cases, fake, { scopeContext: true });
    return { cases: cases.length, today, scoped };
  } finally {
    await fake.close();
  }
}

export function percent(c: { covered: number; total: number }): number {
  return c.total === 0 ? 0 : (c.covered / c.total) * 100;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { cases, today, scoped } = await benchEvidenceCoverage();
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd([34, 14, 14, 16, 14][i] ?? 10)).join(' | ')} |`;
  console.log(`evidence coverage · ${cases} labelled cases · fake model server\n`);
  console.log(row(['context', 'cases covered', 'lines covered', 'median prompt tk', 'median diff tk']));
  console.log(row(['-'.repeat(34), '-'.repeat(14), '-'.repeat(14), '-'.repeat(16), '-'.repeat(14)]));
  for (const [name, c] of [['git, 3 lines (scopeContext: false)', today], ['scope + declarations (default)', scoped]] as const) {
    console.log(row([name, `${percent(c.cases).toFixed(1)} %`, `${percent(c.lines).toFixed(1)} %`, String(c.medianPromptTokens), String(c.medianDiffTokens)]));
  }
  console.log(`\nprompt tokens, scoped / today (medians): ${(scoped.medianPromptTokens / today.medianPromptTokens).toFixed(2)} ×; diff tokens: ${(scoped.medianDiffTokens / today.medianDiffTokens).toFixed(2)} ×`);
  if (scoped.missed.length > 0) console.log(`evidence missed with the scope: ${scoped.missed.join(', ')}`);
}
