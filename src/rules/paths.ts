// What a path says about its file, for rules that treat kinds of files differently.
import { syntaxOf } from './languages.js';

/**
 * Test, fixture, example, demo and documentation files: they do not ship, and they hold on purpose what the rules
 * look for (an `eval` under test, a test password, an XSS payload, the example key of a configuration guide).
 */
const TEST_DIR =
  /(?:^|\/)(?:tests?|__tests__|__mocks__|__fixtures__|spec|specs|e2e|fixtures?|testdata|test[-_]?fixtures|testing|playgrounds?|examples?|demos?|samples?|bench(?:marks?)?|docs?|documentation)\//i;
const TEST_FILE = /(?:\.(?:test|spec|stories|e2e|bench)\.[^/]+|_test\.(?:go|py|rb|exs?)|_spec\.rb|(?:^|\/)test_[^/]+\.py|(?:^|\/)conftest\.py|Tests?\.(?:java|kt|cs|swift|scala))$/;

export function isTestOrDocsPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_FILE.test(path) || isProse(path);
}

/**
 * Prose: documentation shows the very patterns the code rules look for (a README explaining `verify=False`), and
 * no line of it runs. The secret rules still read prose, where a pasted key leaks all the same.
 */
const PROSE_FILE = /\.(?:md|mdx|markdown|rst|txt|adoc|asciidoc)$/i;

export function isProse(path: string): boolean {
  return PROSE_FILE.test(path);
}

/**
 * Source code in a language the lexer reads, where `NAME=value` at the start of a line is a keyword argument or
 * an expression, not a setting (YAML, TOML and shell are settings files for this purpose).
 */
export function isProgram(path: string): boolean {
  const syntax = syntaxOf(path);
  return syntax !== null && syntax.name !== 'config' && syntax.name !== 'shell';
}

/** `.env`, `.env.local`, `.env.production`… but not the templates meant to be committed. */
const ENV_FILE = /(?:^|\/)\.env(?:\.[\w.-]+)?$/;
const ENV_TEMPLATE = /\.(?:example|sample|template|dist|defaults?|schema|tpl|in)$/;

export function isEnvFile(path: string): boolean {
  return ENV_FILE.test(path) && !ENV_TEMPLATE.test(path);
}
