// `codeai-hook lsp`: the hook's review in any editor that speaks the Language Server Protocol, over stdio. Each open
// document's buffer is reviewed against what HEAD holds of it (reviews.ts), its findings become diagnostics
// (diagnostics.ts) with code actions (actions.ts). The server writes nothing: a fix or a codeai-ignore comment is a
// WorkspaceEdit the editor applies when the user accepts it.

import {
  createConnection,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeParams,
  type WatchDog,
} from 'vscode-languageserver';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { maskedResult } from '../report/masked.js';
import { codeActions, EXPLAIN_COMMAND, explainCommand, removeExplanations, type ActionContext } from './actions.js';
import { SOURCE, toDiagnostic } from './diagnostics.js';
import { DocumentReviews, type Shown, type Timing } from './reviews.js';
import { Sessions, type PolicyProblem } from './sessions.js';

export interface ServeOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted by SIGINT/SIGTERM: the server ends as after `exit`. */
  signal: AbortSignal;
  /** The editor's process (`--clientProcessId`): the server ends when it does, as when `initialize` names it. */
  clientProcessId?: number;
}

/** Settings an editor may pass as initializationOptions; anything else there is ignored. */
function timingFrom(options: unknown, sendsDidSave: boolean): Timing {
  const o = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  const ms = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback);
  return {
    debounceMs: ms(o.debounceMs, 300),
    idleMs: sendsDidSave && o.reviewOnIdle !== true ? null : ms(typeof o.idleSeconds === 'number' ? o.idleSeconds * 1000 : undefined, 5_000),
  };
}

/** Serves until the client sends `exit` (or closes the pipe, or its process ends); resolves to the exit code. */
export function serve(opts: ServeOptions): Promise<number> {
  return new Promise<number>((resolve) => {
    const stop = new AbortController();
    const signal = AbortSignal.any([opts.signal, stop.signal]);
    let shutdown = false;
    const parentWatches: ReturnType<typeof setInterval>[] = [];
    let ended = false;
    const end = (code: number) => {
      if (ended) return;
      ended = true;
      for (const w of parentWatches) clearInterval(w);
      stop.abort();
      void Promise.allSettled([reviews.dispose(), removeExplanations()]).finally(() => {
        connection.dispose();
        resolve(code);
      });
    };
    // The library's own watchdog ends the process with process.exit; ours ends the command, which exits the CLI's way.
    const watchDog: WatchDog = {
      get shutdownReceived() {
        return shutdown;
      },
      set shutdownReceived(value: boolean) {
        shutdown = value;
      },
      initialize(params: InitializeParams) {
        if (typeof params.processId === 'number') watchParent(params.processId);
      },
      exit: (code: number) => end(code),
    };
    // An editor that dies without saying so leaves no server behind.
    const watchParent = (pid: number) => {
      if (pid === process.pid || pid <= 0) return;
      const watch = setInterval(() => {
        try {
          process.kill(pid, 0);
        } catch {
          end(shutdown ? 0 : 1);
        }
      }, 3_000);
      watch.unref();
      parentWatches.push(watch);
    };
    if (opts.clientProcessId !== undefined) watchParent(opts.clientProcessId);
    const connection = createConnection(
      (logger) => createProtocolConnection(new StreamMessageReader(opts.input), new StreamMessageWriter(opts.output), logger),
      watchDog,
    );
    opts.input.on('end', () => end(shutdown ? 0 : 1));
    opts.input.on('close', () => end(shutdown ? 0 : 1));
    opts.signal.addEventListener('abort', () => end(shutdown ? 0 : 1), { once: true });

    const documents = new TextDocuments(TextDocument);
    const review: Map<string, Diagnostic[]> = new Map();
    const policy: Map<string, Diagnostic> = new Map();
    const policyFileOf = new Map<string, string>();
    const send = (uri: string) => {
      const diagnostics = [...(review.get(uri) ?? []), ...(policy.has(uri) ? [policy.get(uri)!] : [])];
      void connection.sendDiagnostics({ uri, diagnostics });
    };
    let warned = false;
    const warnOnce = (text: string) => {
      if (warned) return;
      warned = true;
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `codeai-hook: ${text}` });
    };

    const sessions = new Sessions(opts.env, signal, {
      policy(top: string, problem: PolicyProblem | null) {
        const before = policyFileOf.get(top);
        if (before) {
          policy.delete(before);
          policyFileOf.delete(top);
          send(before);
        }
        if (!problem) return;
        const uri = pathToFileURL(problem.file).href;
        const at = { line: problem.line, character: 0 };
        policy.set(uri, { range: { start: at, end: { line: problem.line, character: problem.length } }, severity: 1, source: SOURCE, message: problem.message });
        policyFileOf.set(top, uri);
        send(uri);
      },
      error: (message) => warnOnce(`${message}: the editor's reviews are off until it is fixed`),
    });

    let context: ActionContext | undefined;
    const reviews: DocumentReviews = new DocumentReviews(sessions, { debounceMs: 300, idleMs: null }, {
      show(uri: string, shown: Shown | null) {
        review.set(uri, shown ? diagnosticsOf(shown) : []);
        send(uri);
        if (!shown) review.delete(uri);
      },
      modelFailed: (reason) => warnOnce(`the model review did not complete (${reason}); the built-in rules still run in the editor`),
      async progress(file: string) {
        const reporter = await connection.window.createWorkDoneProgress();
        reporter.begin('codeai-hook', 0, `reviewing ${file}`);
        return {
          report: (done: number, total: number) => reporter.report(total > 0 ? Math.round((done / total) * 100) : 0, `${file}: ${done}/${total} units`),
          done: () => reporter.done(),
        };
      },
      log: (message) => connection.console.error(message),
    });

    connection.onInitialize((params) => {
      const caps = params.capabilities;
      reviews.retime(timingFrom(params.initializationOptions, caps.textDocument?.synchronization?.didSave === true));
      context = {
        reviews,
        documents,
        versioned: caps.workspace?.workspaceEdit?.documentChanges === true,
        showDocument: caps.window?.showDocument?.support === true,
        connection,
        signal,
      };
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
          codeActionProvider: { codeActionKinds: ['quickfix'] },
          executeCommandProvider: { commands: [EXPLAIN_COMMAND] },
        },
        serverInfo: { name: 'codeai-hook' },
      };
    });
    connection.onShutdown(() => reviews.dispose());
    documents.onDidOpen(({ document }) => reviews.opened(document));
    documents.onDidChangeContent(({ document }) => reviews.changed(document));
    documents.onDidSave(({ document }) => void reviews.saved(document));
    documents.onDidClose(({ document }) => reviews.closedDoc(document.uri));
    connection.onCodeAction((params) => (context ? codeActions(context, params) : []));
    connection.onExecuteCommand((params) => (context ? explainCommand(context, params) : undefined));
    documents.listen(connection);
    connection.listen();
  });
}

/** The shown review's findings as diagnostics, masked as every report is. */
function diagnosticsOf(shown: Shown): Diagnostic[] {
  const lines = shown.text.split(/\r?\n/);
  const blocking = new Set(shown.result.verdict.blocking);
  const masked = maskedResult(shown.result);
  // The rules that blocked, without the findings each reason names: the diagnostic is one of them.
  const why = masked.verdict.rules.join('; ');
  return masked.findings.map((f, index) => toDiagnostic(f, { version: shown.version, index }, lines, blocking.has(index) ? why : null));
}
