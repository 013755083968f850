// A real JSON-RPC client for `codeai-hook lsp`: the built CLI started over stdio, driven with
// vscode-languageserver-protocol as an editor drives it, recording what the server publishes and asks.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BIN, type TestRepo } from './harness.js';

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  initializationOptions?: Record<string, unknown>;
  /** false: the client says it sends no didSave (the server reviews with the model after a quiet spell). */
  didSave?: boolean;
  showDocument?: boolean;
  /** The editor's process id sent in initialize (default: this test process). */
  processId?: number;
  /** Arguments after `lsp` (default: --stdio). */
  args?: string[];
  /** The codeai-hook to start (default: this checkout's dist/bin.js), e.g. a packed install's node_modules/.bin. */
  bin?: string;
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly shownDocuments: string[] = [];
  /** Every $/progress value, in order (kind begin / report / end). */
  readonly progress: Array<{ kind: string; message?: string }> = [];
  stderr = '';
  /** The server's window/logMessage lines: shown when a wait times out. */
  logs = '';
  private readonly docs = new Map<string, TextDocument>();
  private waiters: Array<() => void> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly repo: TestRepo,
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stderr!.on('data', (d) => (this.stderr += d));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => this.record(() => this.published.push(p)));
    connection.onNotification('window/showMessage', (p: ShowMessageParams) => this.record(() => this.messages.push(p)));
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs += `${p.message}\n`;
    });
    connection.onNotification('$/progress', (p: { value: { kind: string; message?: string } }) => this.record(() => this.progress.push(p.value)));
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('window/showDocument', (p: { uri: string }) => {
      this.record(() => this.shownDocuments.push(p.uri));
      return { success: true };
    });
    connection.onRequest('workspace/configuration', () => []);
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
  }

  static async start(repo: TestRepo, opts: StartOptions = {}): Promise<LspClient> {
    const command = opts.bin ? [opts.bin] : [process.execPath, BIN];
    const child = spawn(command[0]!, [...command.slice(1), 'lsp', ...(opts.args ?? ['--stdio'])], { cwd: repo.dir, env: { ...repo.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(repo, child, connection);
    const capabilities: ClientCapabilities = {
      textDocument: { synchronization: { didSave: opts.didSave ?? true, dynamicRegistration: false }, publishDiagnostics: { versionSupport: true } },
      window: { workDoneProgress: true, showDocument: { support: opts.showDocument ?? true } },
      workspace: { workspaceEdit: { documentChanges: true } },
    };
    await connection.sendRequest('initialize', {
      processId: opts.processId ?? process.pid,
      rootUri: pathToFileURL(repo.dir).href,
      capabilities,
      initializationOptions: { debounceMs: 20, ...opts.initializationOptions },
      workspaceFolders: [{ uri: pathToFileURL(repo.dir).href, name: 'repo' }],
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.repo.dir, rel)).href;
  }

  text(rel: string): string {
    return this.docs.get(this.uri(rel))!.getText();
  }

  async open(rel: string, text: string, languageId = 'javascript'): Promise<void> {
    const doc = TextDocument.create(this.uri(rel), languageId, 1, text);
    this.docs.set(doc.uri, doc);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId, version: 1, text } });
  }

  /** The whole buffer replaced (a full-document change). */
  async change(rel: string, text: string): Promise<void> {
    const old = this.docs.get(this.uri(rel))!;
    const doc = TextDocument.create(old.uri, old.languageId, old.version + 1, text);
    this.docs.set(doc.uri, doc);
    const end = old.positionAt(old.getText().length);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: doc.uri, version: doc.version },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text }],
    });
  }

  /** Writes the buffer to disk, as an editor's save does, then says so. */
  async save(rel: string): Promise<void> {
    this.repo.write(rel, this.text(rel));
    await this.connection.sendNotification('textDocument/didSave', { textDocument: { uri: this.uri(rel) } });
  }

  async close(rel: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri(rel) } });
  }

  /** The latest diagnostics published for `rel` once `test` holds of them (waits for publications). */
  async diagnostics(rel: string, test: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const uri = this.uri(rel);
    const latest = () => this.published.filter((p) => p.uri === uri).at(-1)?.diagnostics;
    await this.until(() => {
      const d = latest();
      return d !== undefined && test(d);
    }, timeoutMs, () => `diagnostics of ${rel} never matched; last: ${JSON.stringify(latest())}\nserver stderr: ${this.stderr}\nserver log: ${this.logs}`);
    return latest()!;
  }

  async until(test: () => boolean, timeoutMs = 20_000, what: () => string = () => 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  codeActions(rel: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]!.range;
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: this.uri(rel) }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  /** Waits until `n` model reviews have ended (the server reports each one's progress). */
  modelReviews(n: number): Promise<void> {
    const ended = () => this.progress.filter((p) => p.kind === 'end').length;
    return this.until(() => ended() >= n, 20_000, () => `${n} model reviews; ${ended()} ended: ${JSON.stringify(this.progress)}`);
  }

  /** Runs a code action's command (the server's explanation); resolves when the server has answered. */
  async execute(action: CodeAction): Promise<void> {
    const { command, arguments: args } = action.command!;
    await this.connection.sendRequest('workspace/executeCommand', { command, arguments: args });
  }

  /** Applies a WorkspaceEdit to the client's buffer as an editor does (refusing a stale version), then sends the change. */
  async apply(rel: string, edit: WorkspaceEdit): Promise<void> {
    const doc = this.docs.get(this.uri(rel))!;
    const change = edit.documentChanges?.[0] as { textDocument: { version: number }; edits: TextEdit[] } | undefined;
    if (!change) throw new Error(`not a versioned edit: ${JSON.stringify(edit)}`);
    if (change.textDocument.version !== doc.version) throw new Error(`stale edit for version ${change.textDocument.version}, buffer at ${doc.version}`);
    await this.change(rel, TextDocument.applyEdits(doc, change.edits));
  }

  /** shutdown, then exit; resolves with how the server process ended. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const ended = await this.exited;
    this.connection.dispose();
    return ended;
  }

  kill(): void {
    this.connection.dispose();
    this.child.kill('SIGKILL');
  }

  private record(push: () => void): void {
    push();
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
