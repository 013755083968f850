// A deterministic, realistic `git diff` text for benchmarks and tests: modified files with several hunks of
// context and changes, new files, a sprinkling of TypeScript, Python and Go-looking lines.

export interface SyntheticOptions {
  files: number;
  /** Added plus deleted lines over all files. */
  changedLines: number;
  seed?: number;
}

export function syntheticDiff(opts: SyntheticOptions): string {
  const random = mulberry32(opts.seed ?? 1);
  const shares = splitTotal(opts.changedLines, opts.files, random);
  const out: string[] = [];
  for (let i = 0; i < opts.files; i++) {
    const lang = LANGS[i % LANGS.length]!;
    const path = `${pick(DIRS, random)}/${pick(WORDS, random)}-${i}.${lang.ext}`;
    const changed = shares[i]!;
    if (changed > 0 && random() < 0.15) newFile(out, path, changed, lang, random);
    else modifiedFile(out, path, changed, lang, random);
  }
  return out.join('\n') + '\n';
}

interface Lang {
  ext: string;
  line: (random: () => number) => string;
}

const WORDS = ['user', 'account', 'handler', 'request', 'cache', 'value', 'index', 'buffer', 'config', 'token',
  'parse', 'render', 'stream', 'error', 'session', 'widget', 'manager', 'order', 'price', 'queue', 'retry', 'limit'];
const DIRS = ['src', 'src/api', 'src/core', 'lib/util', 'pkg/server', 'app/models', 'services/billing', 'internal/db'];

function ident(random: () => number): string {
  const a = pick(WORDS, random);
  const b = pick(WORDS, random);
  return a + b[0]!.toUpperCase() + b.slice(1);
}

const LANGS: Lang[] = [
  {
    ext: 'ts',
    line: (r) =>
      pick(
        [
          () => `  const ${ident(r)} = await ${ident(r)}.${ident(r)}(${ident(r)}, ${Math.floor(r() * 1000)});`,
          () => `  if (!${ident(r)}) throw new Error('missing ${pick(WORDS, r)}');`,
          () => `    return { ${ident(r)}: ${ident(r)}, ${pick(WORDS, r)}: ${ident(r)} ?? null };`,
          () => `export function ${ident(r)}(${pick(WORDS, r)}: string): number {`,
          () => '  }',
        ],
        r,
      )(),
  },
  {
    ext: 'py',
    line: (r) =>
      pick(
        [
          () => `    ${pick(WORDS, r)}_${pick(WORDS, r)} = self._${pick(WORDS, r)}.get(${pick(WORDS, r)}, ${Math.floor(r() * 100)})`,
          () => `def ${pick(WORDS, r)}_${pick(WORDS, r)}(self, ${pick(WORDS, r)}):`,
          () => `        raise ValueError(f"bad {${pick(WORDS, r)}}")`,
          () => `    return [x for x in ${pick(WORDS, r)} if x.${pick(WORDS, r)}]`,
        ],
        r,
      )(),
  },
  {
    ext: 'go',
    line: (r) =>
      pick(
        [
          () => `\t${ident(r)}, err := ${pick(WORDS, r)}.${ident(r)}(ctx, ${ident(r)})`,
          () => '\tif err != nil {',
          () => `\t\treturn nil, fmt.Errorf("${pick(WORDS, r)}: %w", err)`,
          () => `func (s *${ident(r)}) ${ident(r)}(ctx context.Context) error {`,
        ],
        r,
      )(),
  },
];

const CONTEXT = 3;

function newFile(out: string[], path: string, lines: number, lang: Lang, random: () => number): void {
  out.push(`diff --git a/${path} b/${path}`, 'new file mode 100644', `index 0000000..${hex(random)}`);
  out.push('--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${lines} @@`);
  for (let i = 0; i < lines; i++) out.push(`+${lang.line(random)}`);
}

function modifiedFile(out: string[], path: string, changed: number, lang: Lang, random: () => number): void {
  out.push(`diff --git a/${path} b/${path}`, `index ${hex(random)}..${hex(random)} 100644`);
  out.push(`--- a/${path}`, `+++ b/${path}`);
  let oldLine = 1 + Math.floor(random() * 40);
  let newLine = oldLine;
  let left = changed;
  while (left > 0) {
    const size = Math.min(left, 1 + Math.floor(random() * 24));
    const dels = Math.floor(size * random() * 0.6);
    const adds = size - dels;
    const body: string[] = [];
    for (let i = 0; i < CONTEXT; i++) body.push(` ${lang.line(random)}`);
    for (let i = 0; i < dels; i++) body.push(`-${lang.line(random)}`);
    for (let i = 0; i < adds; i++) body.push(`+${lang.line(random)}`);
    for (let i = 0; i < CONTEXT; i++) body.push(` ${lang.line(random)}`);
    const heading = random() < 0.7 ? ` ${lang.line(random).trim()}` : '';
    out.push(`@@ -${oldLine},${2 * CONTEXT + dels} +${newLine},${2 * CONTEXT + adds} @@${heading}`, ...body);
    oldLine += 2 * CONTEXT + dels;
    newLine += 2 * CONTEXT + adds;
    // Unchanged lines between hunks.
    const gap = 5 + Math.floor(random() * 60);
    oldLine += gap;
    newLine += gap;
    left -= size;
  }
}

/** `total` split over `parts` with a long tail (a few large files, many small ones), summing exactly. */
function splitTotal(total: number, parts: number, random: () => number): number[] {
  const weights = Array.from({ length: parts }, () => -Math.log(1 - random() * 0.999));
  const sum = weights.reduce((a, b) => a + b, 0);
  // Every file changes at least one line when there are lines enough: an unchanged file is not in a diff.
  const floor = total >= parts ? 1 : 0;
  const shares = weights.map((w) => floor + Math.floor((w / sum) * (total - floor * parts)));
  let rest = total - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) shares[i]!++;
  return shares;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function hex(random: () => number): string {
  return Math.floor(random() * 0xfffffff).toString(16).padStart(7, '0');
}

/** A small seeded PRNG: the same seed gives the same diff on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
