// Runs one FAKE model server from a shell, for the benchmark and for trying the hook by hand without a model:
//
//   npx tsx test/fakes/serve.ts ollama|openai|anthropic [--latency MS] [--findings-file F] [--models a,b]
//
// The first line on stdout is the server's URL (what baseURL in .codeairc needs); everything else goes to stderr.
// Every model call gets the same answer (the findings in F: an array, or {"findings": [...]}; none by default) after
// the fixed latency. It stops on SIGTERM or SIGINT, and when stdin closes if stdin is a pipe (so a parent that dies
// takes it along); started with stdin from /dev/null it runs until signalled.

import { readFileSync, fstatSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAI, type FakeServer } from './index.js';

const USAGE = 'usage: tsx test/fakes/serve.ts ollama|openai|anthropic [--latency MS] [--findings-file F] [--models a,b]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { latency: { type: 'string', default: '0' }, 'findings-file': { type: 'string' }, models: { type: 'string' } },
  });
  const kind = positionals[0];
  const latency = Number(values.latency);
  if (!Number.isFinite(latency) || latency < 0) fail(`--latency must be a number of milliseconds\n${USAGE}`);
  const findings = values['findings-file'] ? readFindings(values['findings-file']) : [];

  let fake: FakeServer;
  if (kind === 'ollama') fake = await startFakeOllama(values.models ? { models: values.models.split(',') } : {});
  else if (kind === 'openai') fake = await startFakeOpenAI();
  else if (kind === 'anthropic') fake = await startFakeAnthropic();
  else return fail(USAGE);
  fake.setDefault({ findings, delayMs: latency });

  process.stdout.write(`${fake.url}\n`);
  process.stderr.write(`FAKE ${kind} model server (test double, no model) at ${fake.url}: ${findings.length} finding(s) per answer after ${latency} ms\n`);

  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (stdinIsPipe()) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
}

function readFindings(file: string): unknown[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (Array.isArray(parsed)) return parsed;
  const findings = (parsed as { findings?: unknown } | null)?.findings;
  if (Array.isArray(findings)) return findings;
  return fail(`${file}: expected an array of findings or {"findings": [...]}`);
}

function stdinIsPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

function fail(message: string): never {
  process.stderr.write(`fake server: ${message}\n`);
  process.exit(2);
}

await main();
