// npx tsx scripts/rules-index.ts --write: writes src/rules/wake-index.ts, what the hook needs of each line rule
// before the tables are built (src/rules/wake.ts), from the tables themselves. test/rules/wake-index.test.ts fails
// when the file differs from what this prints, so a rule added or changed without running it cannot go unnoticed.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { secretRules } from '../src/rules/secrets.js';
import { FILE_RULES, lineRules } from '../src/rules/table.js';

export const WAKE_INDEX_FILE = 'src/rules/wake-index.ts';

const HEADER = `// Generated from the rule tables by \`npx tsx scripts/rules-index.ts --write\`; do not edit by hand.
// test/rules/wake-index.test.ts fails when this differs from what the tables give.
//
// The file rules' ids; each line rule in table order, one a line: its id, 1 for a secrets rule (0 for a code rule),
// and its \`needs\` when it has some; then each keyword, one a line, with the rules (by position) it wakes. JSON
// text: parsing it costs the hook less than building the tables or the same data written as code (see wake.ts).
`;

/** The module's text: JSON in a template literal (backslashes, backticks and \`\${\` escaped). */
export function renderWakeIndex(): string {
  const secrets = new Set(secretRules());
  const rules = lineRules();
  const byKeyword = new Map<string, number[]>();
  rules.forEach((r, i) => {
    for (const k of r.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), i]);
  });
  const lines = rules.map((r) => JSON.stringify([r.id, secrets.has(r) ? 1 : 0, ...(r.needs ? [r.needs] : [])]));
  const keywords = [...byKeyword].map((entry) => JSON.stringify(entry));
  const files = JSON.stringify(FILE_RULES.map((r) => r.id));
  const json = `{"files":${files},"rules":[\n${lines.join(',\n')}\n],"keywords":[\n${keywords.join(',\n')}\n]}`;
  const literal = json.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return `${HEADER}export const WAKE_INDEX = \`${literal}\`;\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) {
    writeFileSync(WAKE_INDEX_FILE, renderWakeIndex());
    console.error(`${WAKE_INDEX_FILE} written`);
  } else {
    process.stdout.write(renderWakeIndex());
  }
}
