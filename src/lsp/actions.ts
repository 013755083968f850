// What the editor offers on a codeai-hook diagnostic: apply the finding's fix, write a codeai-ignore comment for it,
// or explain it. The first two are WorkspaceEdits on the very buffer version the finding was published for (an
// editor applies them only if the buffer is still at that version); the explanation is written to a file in a private
// temporary folder and shown with window/showDocument, or as a message where the editor cannot show documents.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageType, ShowMessageNotification } from 'vscode-languageserver';
import type { CodeAction, CodeActionParams, Connection, ExecuteCommandParams, TextDocuments, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { masked } from '../report/masked.js';
import { explainFinding } from '../session/explain.js';
import type { Finding } from '../types.js';
import { commentSyntax } from './comments.js';
import { SOURCE, type FindingRef } from './diagnostics.js';
import { fixEdit, ignoreEdit } from './edits.js';
import type { DocumentReviews, Shown } from './reviews.js';

export const EXPLAIN_COMMAND = 'codeai-hook.explain';

export interface ActionContext {
  reviews: DocumentReviews;
  documents: TextDocuments<TextDocument>;
  /** The client takes versioned document edits (a stale edit is refused, not misapplied). */
  versioned: boolean;
  /** The client can open a document the server names. */
  showDocument: boolean;
  connection: Connection;
  signal: AbortSignal;
}

export function codeActions(ctx: ActionContext, params: CodeActionParams): CodeAction[] {
  const uri = params.textDocument.uri;
  const shown = ctx.reviews.shownFor(uri);
  const doc = ctx.documents.get(uri);
  // Edits are computed on the buffer the findings were found in: after a newer change, wait for its review.
  if (!shown || !doc || doc.version !== shown.version) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const ref = refOf(diagnostic.data);
    const finding = ref && ref.version === shown.version ? shown.result.findings[ref.index] : undefined;
    if (!finding) continue;
    const edit = (e: TextEdit) => workspaceEdit(ctx, uri, shown.version, e);
    if (finding.fix) {
      actions.push({ title: `Apply codeai-hook's fix: ${masked(finding.title, finding.file)}`, kind: 'quickfix', isPreferred: true, diagnostics: [diagnostic], edit: edit(fixEdit(shown.text, finding.fix)) });
    }
    const syntax = commentSyntax(finding.file, doc.languageId);
    if (syntax) {
      const id = finding.rule ?? finding.category;
      actions.push({ title: `Ignore ${id} here (codeai-ignore comment)`, kind: 'quickfix', diagnostics: [diagnostic], edit: edit(ignoreEdit(shown.text, finding, syntax)) });
    }
    actions.push({
      title: 'Explain this finding (codeai-hook)',
      kind: 'quickfix',
      diagnostics: [diagnostic],
      command: { title: 'Explain this finding', command: EXPLAIN_COMMAND, arguments: [uri, ref] },
    });
  }
  return actions;
}

/** `codeai-hook.explain [uri, {version, index}]`: the explanation `run --explain` would give, shown to the user. */
export async function explainCommand(ctx: ActionContext, params: ExecuteCommandParams): Promise<void> {
  if (params.command !== EXPLAIN_COMMAND) return;
  const [uri, raw] = params.arguments ?? [];
  const shown = typeof uri === 'string' ? ctx.reviews.shownFor(uri) : undefined;
  const ref = refOf(raw);
  const finding = shown && ref && ref.version === shown.version ? shown.result.findings[ref.index] : undefined;
  if (!shown || !finding) {
    inform(ctx, 'codeai-hook: that finding is no longer shown (the file changed since); ask again on the new one');
    return;
  }
  const text = masked(await explanationText(shown, finding), finding.file);
  if (ctx.showDocument) {
    const file = await explanationFile(text);
    const result = await ctx.connection.window.showDocument({ uri: pathToFileURL(file).href, takeFocus: true });
    if (result.success) return;
  }
  inform(ctx, text);
}

/** A window/showMessage notification: shown, nothing to answer. */
function inform(ctx: ActionContext, message: string): void {
  void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message });
}

async function explanationText(shown: Shown, f: Finding): Promise<string> {
  const why = (await explainFinding(shown.session, shown.change.files, f)) ?? `${f.message}${f.suggestion ? `\n\n${f.suggestion}` : ''}`;
  return `# ${f.file}:${f.line} ${f.title}\n\n${why}\n`;
}

let folder: Promise<string> | null = null;
let written = 0;

/** A Markdown file in the server's private temporary folder, removed when the server ends (removeExplanations). */
async function explanationFile(text: string): Promise<string> {
  folder ??= mkdtemp(path.join(os.tmpdir(), 'codeai-explain-'));
  const file = path.join(await folder, `explanation-${++written}.md`);
  await writeFile(file, text, { mode: 0o600 });
  return file;
}

export async function removeExplanations(): Promise<void> {
  const dir = folder;
  folder = null;
  if (dir) await rm(await dir, { recursive: true, force: true });
}

function workspaceEdit(ctx: ActionContext, uri: string, version: number, edit: TextEdit): WorkspaceEdit {
  return ctx.versioned ? { documentChanges: [{ textDocument: { uri, version }, edits: [edit] }] } : { changes: { [uri]: [edit] } };
}

function refOf(data: unknown): FindingRef | null {
  if (typeof data !== 'object' || data === null) return null;
  const { version, index } = data as Record<string, unknown>;
  return typeof version === 'number' && typeof index === 'number' ? { version, index } : null;
}
