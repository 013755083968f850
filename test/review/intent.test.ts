import { describe, expect, it } from 'vitest';
import { commitMessageIntent, intentText } from '../../src/review/intent.js';

// Ends in its CRC32 checksum, as real GitHub tokens do, so every version of the rule takes it for one.
const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5' + '0Zb5Hm';

describe('intentText', () => {
  it('labels the title, the description and the commits; says nothing when nothing was said', () => {
    expect(intentText({ kind: 'pull-request', title: 'Fix  the\ncount', body: 'Because.\r\nReally.', commits: ['fix: a', 'test: b'] })).toBe(
      ['Pull request title: Fix the count', 'Pull request description:', 'Because.\nReally.', 'Commits in this change, oldest first:', '- fix: a', '- test: b'].join('\n'),
    );
    expect(intentText(undefined)).toBe('');
    expect(intentText({ kind: 'commits', commits: [] })).toBe('');
    expect(intentText({ kind: 'pull-request', title: '  ', body: '<!-- only the template -->', commits: [' '] })).toBe('');
  });

  it('redacts secrets like diff lines, a pasted key block included', () => {
    const body = ['token ' + TOKEN, '-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA1s2d3f4g5h6j7k8l9z0x1c2v3b4n5m6q7w8e9r0t1y2u3i4o5p6', '-----END RSA PRIVATE KEY-----'].join('\n');
    const text = intentText({ kind: 'merge-request', title: 'x', body, commits: [`add ${TOKEN}`] });
    expect(text).not.toContain(TOKEN.slice(4));
    expect(text).not.toContain('MIIEowIBAAKCAQEA');
    expect(text).toContain('[REDACTED:github-token]');
    expect(text).toContain('[REDACTED:private-key]');
  });

  it('caps the description, each subject and the number of commits', () => {
    const text = intentText({
      kind: 'pull-request',
      body: 'x'.repeat(5000),
      commits: Array.from({ length: 40 }, (_, i) => `commit ${i} ${'y'.repeat(300)}`),
    });
    expect(text).toContain('… [1000 characters not shown]');
    expect(text).toContain('- … 11 more');
    expect(text.split('\n').filter((l) => l.startsWith('- commit'))).toHaveLength(29);
    expect(text.length).toBeLessThan(12_000);
  });
});

describe('commitMessageIntent', () => {
  it('reads the message as git hands it over: comments and the commit -v diff left out', () => {
    const message = ['fix: count items', '', 'The list may be empty.', '# Please enter the commit message', '# ------------------------ >8 ------------------------', 'diff --git a/x b/x', ''].join('\n');
    expect(commitMessageIntent(message)).toEqual({ kind: 'commit-message', title: 'fix: count items', body: 'The list may be empty.', commits: [] });
    expect(commitMessageIntent('# only comments\n\n')).toBeUndefined();
  });
});
