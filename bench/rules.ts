// The built-in rules' section of `npm run bench` (alone: `npm run bench:rules`):
//   1. recall and precision on the generated secrets corpus, beside secretlint and gitleaks' rule table, and the
//      time to scan the whole corpus in process (target < 300 ms);
//   2. linearity: a 1 MB and a 10 MB line built to wake every prefilter, and 100,000 ordinary lines;
//   3. coverage of gitleaks' default rule set (CODEAI_GITLEAKS: a gitleaks mirror's git directory);
//   4. precision on the history of public repositories (CODEAI_BENCH_REPOS, see bench/precision.ts).
// Sections whose inputs are absent say so and are skipped; nothing here is fetched or committed.
import { pathToFileURL } from 'node:url';
import { runBuiltinRules } from '../src/rules/scan.js';
import { SECRET_FILE_RULES, secretRules } from '../src/rules/secrets.js';
import { CATEGORIES } from '../src/types.js';
import { score, type Report, type Score } from '../test/rules/fixtures/corpus-score.js';
import { addedFile } from '../test/rules/fixtures/make-diff.js';
import { buildSecretCorpus, type CorpusFile } from '../test/rules/fixtures/secret-corpus.js';
import { GITLEAKS_COVERAGE } from './gitleaks-map.js';
import { loadGitleaks, scanWithGitleaks, type GitleaksTable } from './gitleaks.js';
import { benchRepos, renderPrecision, reviewHistory } from './precision.js';
import { scanWithSecretlint } from './secretlint.js';
import { median } from './stats.js';

const ALL = { disabled: [], categories: [...CATEGORIES] };
const SECRET_IDS = new Set([...secretRules(), ...SECRET_FILE_RULES].map((r) => r.id));
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function ours(corpus: CorpusFile[]): Report[] {
  return corpus.flatMap((f, i) =>
    runBuiltinRules([addedFile(f.path, f.text.split('\n'))], ALL)
      .filter((x) => SECRET_IDS.has(x.rule ?? ''))
      .map((x) => ({ file: i, line: x.line })),
  );
}

/** Median milliseconds of `runs` calls (the first, warming up, not counted). */
async function timed<T>(fn: () => T | Promise<T>, runs = RUNS): Promise<{ ms: number; result: T }> {
  let result = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await fn();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function scoreRow(name: string, s: Score, ms: number): string {
  return `| ${name.padEnd(28)} | ${pct(s.recall).padStart(7)} | ${pct(s.precision).padStart(9)} | ${String(s.planted - s.found).padStart(6)} | ${String(s.falseReports).padStart(12)} | ${`${ms.toFixed(0)} ms`.padStart(8)} |`;
}

function explain(s: Score): string {
  const missed = [...s.missed].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const wrong = [...s.falseBy].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  return `missed: ${missed}; false: ${wrong}`;
}

async function corpusSection(gitleaks: GitleaksTable | string): Promise<string[]> {
  const corpus = buildSecretCorpus();
  const planted = corpus.reduce((n, f) => n + f.secrets.length, 0);
  const out = [
    `1. secrets corpus: ${corpus.length} files, ${planted} planted secrets of ${new Set(corpus.flatMap((f) => f.secrets.map((s) => s.kind))).size} kinds, ${corpus.filter((f) => f.lookAlike).length} files of look-alikes; median of ${RUNS} in-process scans`,
    '',
    '| scanner                      |  recall | precision | missed | false reports |     time |',
    '| ---------------------------- | ------- | --------- | ------ | ------------- | -------- |',
  ];
  const notes: string[] = [];
  const own = await timed(() => ours(corpus));
  const ownScore = score(corpus, own.result);
  out.push(scoreRow('codeai-hook built-in rules', ownScore, own.ms));
  notes.push(`   codeai-hook: ${explain(ownScore)}; target recall and precision ≥ 99 %, time < 300 ms: ${ownScore.recall >= 0.99 && ownScore.precision >= 0.99 && own.ms < 300 ? 'ok' : 'MISSED'}`);
  const lint = await timed(() => scanWithSecretlint(corpus), Math.min(RUNS, 3));
  const lintScore = score(corpus, lint.result);
  out.push(scoreRow('secretlint 11 (recommended)', lintScore, lint.ms));
  notes.push(`   secretlint: ${explain(lintScore)}`);
  if (typeof gitleaks === 'string') {
    notes.push(`   gitleaks' rules: skipped: ${gitleaks}`);
  } else {
    const g = await timed(() => scanWithGitleaks(gitleaks, corpus), Math.min(RUNS, 3));
    const gScore = score(corpus, g.result);
    out.push(scoreRow(`gitleaks rules (${gitleaks.rules.length})`, gScore, g.ms));
    notes.push(`   gitleaks' rules: ${explain(gScore)}${gitleaks.untranslatable.length ? `; not translatable to JavaScript: ${gitleaks.untranslatable.join(', ')}` : ''}`);
  }
  return [...out, '', ...notes];
}

/** A line that wakes every prefilter and starts many patterns without completing them. */
function adversarialLine(bytes: number): string {
  const unit = 'token=ghp_ eyJeyJ.eyJ AKIA sk- xoxb- -----BEGIN PRIVATE KEY----- "select " + a exec(` ${x} eval(y) password: "ab" ';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

async function linearitySection(): Promise<string[]> {
  const one = adversarialLine(1 << 20);
  const ten = adversarialLine(10 << 20);
  const scan = (line: string) => runBuiltinRules([addedFile('src/bundle.js', [line])], ALL);
  const small = await timed(() => scan(one), 3);
  const large = await timed(() => scan(ten), 3);
  const ratio = large.ms / small.ms;
  const sample = [
    '  const token = await getToken(request.headers.authorization);',
    "  const rows = await db.query('SELECT id, name FROM users WHERE org = $1', [org]);",
    "  const url = new URL('https://api.acme.local/v1/items?page=' + page);",
    '  if (!password || password.length < 12) throw new Error("password too short");',
    '  return items.filter((item) => item.selected).map((item) => item.id);',
  ];
  const lines = Array.from({ length: 100_000 }, (_, i) => sample[i % sample.length]!);
  const files = Array.from({ length: 100 }, (_, f) => addedFile(`src/m${f}.ts`, lines.slice(f * 1000, f * 1000 + 1000)));
  const many = await timed(() => runBuiltinRules(files, ALL), 5);
  return [
    '2. linearity and throughput (median of runs)',
    '',
    `   1 MB line: ${small.ms.toFixed(0)} ms · 10 MB line: ${large.ms.toFixed(0)} ms · ratio ${ratio.toFixed(1)} (linear: ≈ 10; quadratic: ≈ 100): ${ratio < 15 ? 'ok' : 'MISSED'}`,
    `   100,000 added lines that wake many prefilters: ${many.ms.toFixed(0)} ms`,
  ];
}

function coverageSection(gitleaks: GitleaksTable | string): string[] {
  if (typeof gitleaks === 'string') return ['3. coverage of gitleaks\' default rules: skipped: ' + gitleaks];
  const ids = gitleaks.rules.map((r) => r.id).concat(gitleaks.untranslatable);
  const unmapped = ids.filter((id) => !GITLEAKS_COVERAGE[id]);
  return [
    `3. coverage of gitleaks' default rules (${gitleaks.source}): ${ids.length - unmapped.length} of ${ids.length} have a rule here (bench/gitleaks-map.ts)${unmapped.length ? `; not covered: ${unmapped.join(', ')}` : ''}`,
  ];
}

async function precisionSection(): Promise<string[]> {
  const { repos, missing } = benchRepos(process.argv.slice(2).filter((a) => !a.startsWith('-')));
  if (repos.length === 0) {
    return [
      `4. precision on real history: skipped: set CODEAI_BENCH_REPOS to git directories (path or path@range, comma-separated)${missing.length ? `; not found: ${missing.join(', ')}` : ''}`,
    ];
  }
  const results = [];
  for (const repo of repos) results.push(await reviewHistory(repo));
  const text = renderPrecision(results, { medium: process.argv.includes('--medium') });
  return [`4. ${text}`, ...(missing.length ? [`   not found: ${missing.join(', ')}`] : [])];
}

export async function benchRules(): Promise<void> {
  const gitleaks = loadGitleaks();
  for (const section of [await corpusSection(gitleaks), await linearitySection(), coverageSection(gitleaks), await precisionSection()]) {
    console.log(`\n${section.join('\n')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchRules();
