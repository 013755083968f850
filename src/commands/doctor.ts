import path from 'node:path';
import type { Command } from './context.js';
import { ConfigError, ProviderError } from '../errors.js';
import { hookStatus } from '../install/index.js';
import { resolveOnError } from '../policy/defaults.js';
import { colors, say } from '../terminal.js';
import { chooseFor, openSession } from './session.js';

/** `doctor`: everything the hook depends on, checked the way the hook would use it. */
export const doctorCommand: Command = async (ctx) => {
  const c = colors(ctx.env);
  const ok = (s: string) => say(`${c.green('✔')} ${s}`);
  const bad = (s: string) => say(`${c.red('✖')} ${s}`);
  const warn = (s: string) => say(`${c.yellow('⚠')} ${s}`);
  let failed = false;

  const session = await openSession(ctx); // an invalid config throws a ConfigError: exit 2, one line
  const { policy, loaded, repo } = session;
  ok(`config: ${loaded.file ? path.relative(ctx.cwd, loaded.file) || loaded.file : 'none found, defaults apply (codeai-hook init writes one)'}`);
  for (const [key, value] of Object.entries(policy)) {
    // onError gets its own line below, with what it resolves to for the hook and for ci.
    if (value === undefined || key === 'onError') continue;
    say(c.dim(`    ${key}: ${JSON.stringify(value)}`));
  }
  say(c.dim(`    onError: hook ${resolveOnError(policy, 'run')}, ci ${resolveOnError(policy, 'ci')}`));

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

  const hook = await hookStatus(repo.top);
  if (hook.installed) ok(`hook: ${hook.detail}`);
  else {
    failed = true;
    bad(`hook: ${hook.detail}${hook.detail.includes("codeai-hook install") || hook.detail.includes("chmod") ? "" : " (run: codeai-hook install)"}`);
  }
  return failed ? 1 : 0;
};
