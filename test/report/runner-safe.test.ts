// Nothing we print is a command to a CI runner. Every line of every report, rendered from hostile file names, model
// messages, code and warnings and printed the way the CLI prints it under GITHUB_ACTIONS=true, goes through the
// runner's grammar (runner-grammar.ts): only our own annotations parse, as the commands we meant. GitLab's section
// markers never form, and no control character but our colours gets out.
import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { looksLikeCommand, neutraliseRunnerLine, runnerSafeJson, safeOutput } from '../../src/report/runner-safe.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { finding, result } from './sample.js';
import { parseLegacy, parseRunnerLine, parseV2, hasGitlabSection } from './runner-grammar.js';

const GITHUB = { GITHUB_ACTIONS: 'true' };
const HOSTILE = [
  '::stop-commands::pause',
  '  ::add-mask::hunter2',
  ':\u200B:set-output name=a::b',
  ':\u2060:error::invisible joiner',
  '\u00AD::warning::soft hyphen first',
  'see ##[add-mask]secret-value here',
  '##\u200B[set-output name=x]y',
  '#\x1b[0m#[error]coloured',
  'bell\x07 escape\x1b[2J clear',
  'carriage\rreturn::error::x',
  '\x1b[0Ksection_start:1700000000:evil[collapsed=true]\r\x1b[0KEvil section',
  'already %0A::error::escaped',
  'next line\u2028::error::line separator',
];

function hostileResult() {
  const findings = HOSTILE.map((text, i) =>
    finding({
      file: i % 2 ? `src##[add-mask]x${i}.js` : `::error file=${i}::.js`,
      line: i + 1,
      severity: i % 3 === 0 ? 'high' : 'medium',
      title: text,
      message: `${text}\n${text}`,
      suggestion: text,
      code: text,
      explanation: text,
      source: i % 2 ? 'builtin' : 'model',
      rule: i % 2 ? 'generic-secret' : undefined,
    }),
  );
  return result(findings, {
    blocking: [0],
    errors: HOSTILE.map((t) => `ollama said: ${t}`),
    providerReason: HOSTILE[0]!,
    files: HOSTILE.map((t, i) => ({ path: `f${i}${t}`, status: 'added' as const, added: 1, removed: 0, reviewed: false, skipped: t })),
  });
}

/** Every report as the CLI prints it on GitHub Actions: through safeOutput, except the github format's own lines. */
function printed(): Record<string, string> {
  const r = hostileResult();
  return {
    'terminal (colour)': safeOutput(renderTerminal(r, { color: true, command: 'ci', verbose: true }), GITHUB),
    'terminal (plain)': safeOutput(renderTerminal(r, { color: false, command: 'run', verbose: true }), GITHUB),
    markdown: safeOutput(renderMarkdown(r), GITHUB),
    json: safeOutput(renderJson(r), GITHUB),
    sarif: safeOutput(renderSarif(r, { toolVersion: '1' }), GITHUB),
  };
}

describe('the runner grammar (ported)', () => {
  it('parses both forms the way the runner does', () => {
    expect(parseV2('  ::set-output name=a%2Cb::x%0Ay')).toEqual({ grammar: 'v2', command: 'set-output', properties: { name: 'a,b' }, data: 'x\ny' });
    expect(parseV2('::endgroup::')).toMatchObject({ command: 'endgroup', data: '' });
    expect(parseV2('x ::a::b')).toBeNull();
    expect(parseLegacy('text ##[add-mask k=v%3Bw;]data')).toEqual({ grammar: 'legacy', command: 'add-mask', properties: { k: 'v;w' }, data: 'data' });
    expect(parseLegacy('##[no end')).toBeNull();
    // The cultural view: ignorable characters do not separate the markers.
    expect(parseRunnerLine(':\u200B:error::x')).toMatchObject({ command: 'error' });
    expect(parseRunnerLine('##\x1b[0m[error]x')).toMatchObject({ grammar: 'legacy' });
  });
});

describe('under GITHUB_ACTIONS no printed line is a command', () => {
  for (const [name, text] of Object.entries(printed())) {
    it(`${name}`, () => {
      const lines = text.split('\n');
      const commands = lines.map((line) => [line, parseRunnerLine(line)] as const).filter(([, parsed]) => parsed !== null);
      expect(commands).toEqual([]);
      expect(hasGitlabSection(text)).toBe(false);
      expect(text.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x00-\x08\x0B-\x1F\x7F-\x9F]/);
    });
  }

  it('JSON and SARIF keep their values: the escapes are JSON escapes', () => {
    const r = hostileResult();
    expect(JSON.parse(printed().json!).findings.map((f: { title: string }) => f.title)).toEqual(HOSTILE);
    const sarif = JSON.parse(printed().sarif!);
    expect(sarif.runs[0].results[0].message.text).not.toMatch(/[\x00-\x08\x0B-\x1F\x7F-\x9F]/);
    expect(sarif.runs[0].results).toHaveLength(r.findings.length);
  });

  it('the github format: every line is one of our annotations, whole, and its text carries no raw control character', () => {
    const text = renderGithub(hostileResult());
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(HOSTILE.length + 1);
    for (const line of lines) {
      for (const view of [line, line.replace(/[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')]) {
        const parsed = parseV2(view);
        expect(parsed?.command, line).toMatch(/^(error|warning|notice)$/);
        expect(Object.keys(parsed!.properties).every((k) => ['file', 'line', 'endLine', 'title'].includes(k))).toBe(true);
        expect(parsed!.data).not.toMatch(/[\x00-\x09\x0B-\x1F\x7F-\x9F]/);
      }
    }
  });

  it('off GitHub Actions only control characters change; a clean line is never touched', () => {
    expect(safeOutput('a ##[b] ::c', {})).toBe('a ##[b] ::c');
    expect(safeOutput('bell\x07\x1b[31mred\x1b[0m\r\n', {})).toBe('bell\u2407\x1b[31mred\x1b[0m\u240d\n');
    expect(neutraliseRunnerLine('  plain text: fine')).toBe('  plain text: fine');
    expect(neutraliseRunnerLine('::x::y')).toBe(': :x::y');
    expect(looksLikeCommand(neutraliseRunnerLine('\x1b[2m##\x1b[0m[x]'))).toBe(false);
    expect(JSON.parse(`"${runnerSafeJson('##[x]\u200b')}"`)).toBe('##[x]\u200b');
  });
});
