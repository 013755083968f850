import { UsageError } from '../errors.js';

// Which report a person-facing command prints: the terminal report for people, or the agent report when a coding
// agent runs the commit. Agents set these variables in the shells they run commands in (each one's own docs or
// source); git passes the environment on to the hook, so the hook sees them too.

export interface AgentSignal {
  /** The agent, as the output names it. */
  name: string;
  /** The variables that say it is running; any one set to a value other than '', '0', 'false', 'no' or 'off'. */
  variables: readonly string[];
}

export const AGENT_SIGNALS: readonly AgentSignal[] = [
  // The cross-tool convention some agents and wrappers set (AI_AGENT=<name>).
  { name: 'AI_AGENT', variables: ['AI_AGENT'] },
  { name: 'Claude Code', variables: ['CLAUDECODE'] },
  // CURSOR_AGENT marks the agent's own shells; CURSOR_TRACE_ID is set in every Cursor terminal, people's too.
  { name: 'Cursor', variables: ['CURSOR_AGENT'] },
  { name: 'Codex CLI', variables: ['CODEX_SANDBOX', 'CODEX_SANDBOX_NETWORK_DISABLED', 'CODEX_THREAD_ID', 'CODEX_CI'] },
  { name: 'Gemini CLI', variables: ['GEMINI_CLI'] },
  { name: 'GitHub Copilot', variables: ['COPILOT_AGENT', 'COPILOT_AGENT_SESSION_ID', 'COPILOT_CLI'] },
  { name: 'OpenCode', variables: ['OPENCODE'] },
  { name: 'Cline', variables: ['CLINE_ACTIVE'] },
  { name: 'Augment', variables: ['AUGMENT_AGENT'] },
];

/** Aider marks its commits by appending "(aider)" to the author or committer name it passes to git. */
const AIDER_NAMES = ['GIT_AUTHOR_NAME', 'GIT_COMMITTER_NAME'];

function active(value: string | undefined): boolean {
  if (value === undefined) return false;
  return !['', '0', 'false', 'no', 'off'].includes(value.trim().toLowerCase());
}

/** The coding agent running this process, with the variable that says so; null for a person (or unknown). */
export function detectAgent(env: NodeJS.ProcessEnv): { name: string; variable: string } | null {
  for (const signal of AGENT_SIGNALS) {
    const variable = signal.variables.find((v) => active(env[v]));
    if (variable) return { name: signal.name === 'AI_AGENT' ? env.AI_AGENT!.trim() : signal.name, variable };
  }
  const aider = AIDER_NAMES.find((v) => /\(aider\)\s*$/.test(env[v] ?? ''));
  return aider ? { name: 'Aider', variable: aider } : null;
}

export type PeopleFormat = 'terminal' | 'agent';

/** CODEAI_OUTPUT (agent | terminal) decides when set; otherwise a known coding agent gets the agent report. */
export function peopleFormat(env: NodeJS.ProcessEnv): PeopleFormat {
  const asked = env.CODEAI_OUTPUT?.trim().toLowerCase();
  if (asked === 'agent' || asked === 'terminal') return asked;
  if (asked) throw new UsageError(`CODEAI_OUTPUT is '${env.CODEAI_OUTPUT}'; allowed: agent, terminal (or unset it)`);
  return detectAgent(env) ? 'agent' : 'terminal';
}
