// npm run rules-table: prints the README's table of built-in rules from the rule tables; with --write, puts it
// into README.md between its markers. test/rules/docs.test.ts fails when the README and the tables differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderRulesTable, withRulesTable } from '../src/rules/docs.js';

const table = renderRulesTable();
if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', withRulesTable(readme, table));
  console.error('README.md: rules table written');
} else {
  console.log(table);
}
