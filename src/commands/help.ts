// The help texts, kept word for word in the README's "Commands" section (a test compares them).

export const MAIN_HELP = `codeai-hook: an AI code reviewer in front of every git commit

Usage: codeai-hook <command> [options]

Commands:
  install      wire the pre-commit hook (husky, or the hook manager in use)
  uninstall    remove only what install added
  run          review the staged change (what the hook calls); exit 1 when blocked
  review       the same review on demand: --staged, --base REF, or FILE...
  ci           the same check on a commit range, with reports for CI
  explain      explain the staged change or one finding
  fix          apply the review's fixes to the work tree (never the index)
  baseline     record current findings in .codeai-baseline.json so they stop blocking
  doctor       show config, provider, model reachability and hook status
  eval         measure the reviewer on labelled bug-introducing changes, per model
  init         write a commented .codeairc.yaml
  lsp          the same review in your editor: a language server on stdio

Options for every command:
  --config FILE   use this policy file instead of searching for one
  -h, --help      help for a command
  -v, --version   print the version

Exit codes: 0 passed, 1 blocked by policy, 2 usage or configuration error,
3 review could not complete and onError is block, 130 interrupted.
Skip once: git commit --no-verify, or CODEAI_SKIP=1 git commit.
`;

export const COMMAND_HELP: Record<string, string> = {
  install: `Usage: codeai-hook install [--dir DIR] [--commit-msg]

Wire codeai-hook into git's pre-commit hook: into .pre-commit-config.yaml, lefthook.yml
or simple-git-hooks' config when the repository uses one, else through husky.
Idempotent; keeps existing hook lines and plain .git/hooks hooks running.
  --dir DIR       husky folder (default .husky, relative to the package root)
  --commit-msg    also install the commit-msg hook: the message check (commitMessage)
                  and, with reviewAt: commit-msg, the review with the message
`,
  uninstall: `Usage: codeai-hook uninstall [--dir DIR]

Remove only what install added, restoring every file it changed.
`,
  run: `Usage: codeai-hook run [--quiet] [--verbose] [--explain] [--no-cache] [--no-suppress]

Review the staged change (the index, never the work tree). What the hook calls.
  --quiet         print only blocking findings and the verdict
  --verbose       also print skipped files, tokens sent, calls, cache hits, timings
  --explain       add a short explanation to each blocking finding
  --no-cache      ask the model again even for units reviewed before
  --no-suppress   show findings hidden by codeai-ignore comments or the baseline
  --commit-msg F  check the commit message in file F instead (commit-msg hook)
`,
  review: `Usage: codeai-hook review [--staged | --base REF [--head REF] | FILE...] [options]

The same review as the hook, on demand. Default: the staged change.
  --staged        review the index against HEAD (default)
  --base REF      review HEAD (or --head REF) against its merge base with REF
  FILE...         review these files whole, as staged (never through a symlink)
  --format LIST   terminal,agent,json,sarif,github,markdown,codequality (default
                  terminal; agent when a coding agent runs it, or CODEAI_OUTPUT=agent)
  --output DIR    write each format to DIR (or - for stdout with one format)
  --quiet, --verbose, --explain, --no-cache, --no-suppress  as for run
`,
  ci: `Usage: codeai-hook ci --base REF [--head REF] [--policy head] [--format LIST] [--output DIR]

Re-run the hook's check on a commit range (head against its merge base with base).
Base defaults to origin/$GITHUB_BASE_REF (GitHub Actions) or
$CI_MERGE_REQUEST_DIFF_BASE_SHA (GitLab); head defaults to HEAD.
The policy and baseline are read as they are at the merge base.
  --policy head   check with the branch's own policy instead (its edits included)
  --format LIST   terminal,agent,json,sarif,github,markdown,codequality
                  (default terminal; agent when a coding agent runs it)
  --output DIR    codeai.json, codeai.sarif, codeai.github.txt, codeai.md,
                  codeai.codequality.json in DIR, or - for stdout with one format
  --timings       add tokens sent, model calls, cache hits and timings to the JSON
                  report (off: the same review gives the same bytes)
  --no-cache, --no-suppress, --quiet, --verbose  as for run
`,
  explain: `Usage: codeai-hook explain [--level beginner|intermediate|expert] [FILE[:LINE]]

Explain the staged change, one file of it, or the finding at FILE:LINE. Needs a model.
  --level L       beginner: defines terms; intermediate: logic and patterns (default);
                  expert: design trade-offs and edge cases
`,
  fix: `Usage: codeai-hook fix [FILE[:LINE]...] [--yes] [--dry-run] [--no-cache]

Apply the fixes of the review of the staged change to the work tree, never the index:
you review and stage them yourself (git add -p). The review comes from the cache when
nothing changed; a finding without a fix is asked of the model once. Shows each fix
as a diff and asks. A fix whose lines changed since staging is refused (stale).
  FILE[:LINE]     only the findings in FILE, or the one at LINE
  --yes, -y       apply every fix without asking
  --dry-run       print the fixes as a patch on stdout, for git apply; change nothing
  --no-cache      ask the model again
Exit 1 when a fix was refused or a named finding has none.
`,
  baseline: `Usage: codeai-hook baseline [--staged | --base REF | --all] [--output FILE]

Write the current findings' fingerprints to .codeai-baseline.json; findings listed
there no longer show or block (the output counts them; --no-suppress shows them).
  --all           all tracked files, whole content as staged (default)
  --staged        the staged change
  --base REF      the range from the merge base with REF to HEAD
  --output FILE   write elsewhere than .codeai-baseline.json
`,
  doctor: `Usage: codeai-hook doctor

Show the config file found and its values, the user config, the provider chosen and
why, where each API key would go and why that host is trusted, a 1-token probe of
the model with its latency, the team instruction files read, and whether the hook
is installed (on stdout). Exits 1 when something would fail on commit.
`,
  eval: `Usage: codeai-hook eval [--model LIST] [--cases DIR | --from-history N] [--format table|json]

Review labelled bug-introducing changes with this repository's policy and print, per
model: recall (the bug line got a blocking finding), findings elsewhere per change,
tokens and time. Default cases: the shipped set of real bug fixes, reversed.
  --model LIST      comma-separated [provider/]model, e.g.
                    ollama/qwen2.5-coder:7b,openai/gpt-4o-mini (default: the policy's)
  --cases DIR       your own cases: one .yaml file per case (format in the README)
  --from-history N  the last N commits here whose subject says fix, each reversed
                    and labelled with the lines it changed
  --format F        table (default) or json
`,
  lsp: `Usage: codeai-hook lsp [--stdio]

A language server for any LSP editor, on stdin/stdout (--stdio is accepted, as
editors pass it). Each open file's buffer is reviewed as the next commit of it would
be: the built-in rules as you type, the model on save, with the hook's policy, cache
and redaction. Diagnostics, quick fixes, codeai-ignore comments and explanations.
Writes nothing: fixes and comments are edits your editor applies when you accept them.
`,
  init: `Usage: codeai-hook init [--yes] [--force] [--no-install]

Write a commented .codeairc.yaml (provider detected as auto would), offer to install
the hook, and print the next step.
  --yes           do not ask: write the config and install the hook
  --force         overwrite an existing config file
  --no-install    only write the config
`,
};
