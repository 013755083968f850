import path from 'node:path';
import type { Command } from './context.js';
import { ConfigError, ProviderError } from '../errors.js';
import { hookStatus } from '../install/index.js';
import { userConfigLabel } from '../policy/user-config.js';
import { chooseFor, describeTeamInstructions, onErrorFor } from '../session/session.js';
import { colors, lineWriter } from '../terminal.js';
import { openCommandSession } from './session.js';

/** `doctor`: everything the hook depends on, checked the way the hook would use it. */
export const doctorCommand: Command = async (ctx) => {
  // doctor's report is its product: stdout, so `codeai-hook doctor | grep hook` works.
  const say = lineWriter(process.stdout, ctx.env);
  const c = colors(ctx.env, process.stdout);
  const ok = (s: string) => say(`${c.green('✔')} ${s}`);
  const bad = (s: string) => say(`${c.red('✖')} ${s}`);
  const warn = (s: string) => say(`${c.yellow('⚠')} ${s}`);
  let failed = false;

  const session = await openCommandSession(ctx); // an invalid config throws a ConfigError: exit 2, one line
  const { policy, loaded, repo, user } = session;
  ok(`config: ${loaded.file ? path.relative(ctx.cwd, loaded.file) || loaded.file : 'none found, defaults apply (codeai-hook init writes one)'}`);
  for (const [key, value] of Object.entries(policy)) {
    // onError gets its own line below, with what it resolves to for the hook and for ci.
    if (value === undefined || key === 'onError') continue;
    say(c.dim(`    ${key}: ${JSON.stringify(value)}`), '      ');
  }
  say(c.dim(`    onError: hook ${onErrorFor(session, 'run')}, ci ${onErrorFor(session, 'ci')}`));
  const userSet = user ? (['provider', 'model', 'baseURL', 'trustedHosts'] as const).filter((k) => user[k] !== undefined && user[k]?.length !== 0) : [];
  ok(`user config: ${userConfigLabel(ctx.env)}${user ? ` (${userSet.join(', ') || 'empty'})` : ' not found (optional)'}`);

  // A provider that cannot even be set up (a cloud provider without its key in this shell) is one failed check, not
  // the end of the report: the hook is still worth checking.
  const chosen = await chooseFor(session).catch((err: unknown) => {
    if (!(err instanceof ConfigError)) throw err;
    failed = true;
    bad(`provider: ${err.message}`);
    return null;
  });
  const provider = chosen?.provider ?? null;
  if (chosen && !provider && policy.provider === 'auto') {
    // The hook still checks with the built-in rules, but ci would fail closed: no model is no review there.
    warn(
      `provider: built-in rules only (${chosen.reason}); in ci this fails closed (exit 3): set OPENAI_API_KEY, ANTHROPIC_API_KEY or DEEPSEEK_API_KEY (or OLLAMA_HOST), or set provider: builtin`,
    );
  } else if (chosen && !provider) {
    ok(`provider: built-in rules only (${chosen.reason})`);
  } else if (chosen && provider) {
    ok(`provider: ${provider.name} · model ${provider.model} · ${provider.endpoint} (${chosen.reason})`);
    try {
      const probe = await provider.probe(AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.min(policy.timeoutMs, 30_000))]));
      ok(`model answered a 1-token probe in ${Math.round(probe.latencyMs)} ms`);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      failed = true;
      bad(`model: ${err.message}`);
    }
  }

  const { keyRoutes, keyRouteLine } = await import('../providers/key-routes.js');
  for (const route of keyRoutes(ctx.env, session.trust, provider)) {
    if (route.inUse) (route.trusted ? ok : bad)(`key: ${keyRouteLine(route)}`);
    else say(c.dim(`    ${keyRouteLine(route)}`));
  }
  const named = session.trust.named.map((s) => {
    const keys = s.providers ? `, for the ${s.providers.join(' and ')} providers' keys` : '';
    return `${s.pattern.wildcard ? '*.' : ''}${s.pattern.host}${s.pattern.port ? `:${s.pattern.port}` : ''} (${s.why}${keys})`;
  });
  say(c.dim(`    hosts you named for keys: ${named.length ? named.join('; ') : 'none (set CODEAI_TRUSTED_HOSTS or trustedHosts in the user config)'}`));

  // The team's instruction files, as the hook reads them (ci reads the merge base's).
  if (policy.instructionFiles === false) ok('team instructions: off (instructionFiles: false)');
  else {
    const { lines } = await describeTeamInstructions(session);
    if (lines.length === 0) ok('team instructions: none found (AGENTS.md, CLAUDE.md, GEMINI.md, Copilot and Cursor rule files)');
    else {
      ok('team instructions, passed to the model as conventions:');
      for (const line of lines) say(c.dim(`    ${line}`), '      ');
    }
  }

  const hook = await hookStatus(repo.top);
  if (hook.installed) ok(`hook: ${hook.detail}`);
  else {
    failed = true;
    bad(`hook: ${hook.detail}${hook.detail.includes("codeai-hook install") || hook.detail.includes("chmod") ? "" : " (run: codeai-hook install)"}`);
  }
  // reviewAt: commit-msg moves the review to that hook; without it the pre-commit run reviews (and says so each time).
  if (policy.reviewAt === 'commit-msg') {
    const msg = await hookStatus(repo.top, 'commit-msg');
    if (msg.installed) ok(`reviewAt: commit-msg: ${msg.detail}`);
    else {
      failed = true;
      bad(`reviewAt: commit-msg, but ${msg.detail} (run: codeai-hook install --commit-msg)`);
    }
  }
  return failed ? 1 : 0;
};
