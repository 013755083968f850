// secretlint (its recommended preset, from npm, a devDependency of the bench only) on the bench's corpus, in
// process through @secretlint/core: one report per message, on the line where it starts.
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { Report } from '../test/rules/fixtures/corpus-score.js';
import type { CorpusFile } from '../test/rules/fixtures/secret-corpus.js';

export async function scanWithSecretlint(corpus: CorpusFile[]): Promise<Report[]> {
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };
  const reports: Report[] = [];
  for (const [i, file] of corpus.entries()) {
    const result = await lintSource({
      source: { filePath: file.path, content: file.text, contentType: 'text' },
      options: { config, noPhysicFilePath: true },
    });
    for (const m of result.messages) reports.push({ file: i, line: m.loc.start.line });
  }
  return reports;
}
