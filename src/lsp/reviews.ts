// When each open document is reviewed, and with what: the built-in rules a moment after every change (the last
// model findings carried along), the model on open and save (or after a quiet spell, for editors that do not say
// when they save), one model review at a time across documents, and everything again when git moves under them.
// What a review found is handed to `show`; the server turns it into diagnostics.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SEARCH_PLACES } from '../policy/load.js';
import { CommittedSides } from '../session/buffer.js';
import { reviewChange } from '../session/review.js';
import type { Session } from '../session/session.js';
import { readChange, type Change } from '../session/source.js';
import type { ReviewResult } from '../types.js';
import { carryFindings, rememberFindings, type RememberedFinding } from './carry.js';
import { watchGit } from './git-watch.js';
import type { Sessions } from './sessions.js';

export interface Timing {
  /** After the last change, before the built-in rules run. */
  debounceMs: number;
  /** After the last change, before the model reviews a buffer, for editors that send no didSave; null: on save. */
  idleMs: number | null;
}

/** A review as the editor was shown it: the document version and text it was of. */
export interface Shown {
  version: number;
  text: string;
  result: ReviewResult;
  change: Change;
  session: Session;
}

export interface ReviewEvents {
  show(uri: string, shown: Shown | null): void;
  /** The model review did not complete (down, refused, misconfigured). */
  modelFailed(reason: string): void;
  /** Progress of a model review: begun with the file's name, then units done of all, then ended. */
  progress(file: string): Promise<{ report(done: number, total: number): void; done(): void }>;
  log(message: string): void;
}

interface DocState {
  /** The library's document: updated in place as the editor sends changes. */
  doc: TextDocument;
  /** The last version a change was seen for. */
  seen: number;
  path: string;
  top?: Promise<string | null>;
  timer?: ReturnType<typeof setTimeout>;
  idle?: ReturnType<typeof setTimeout>;
  rules?: Promise<void>;
  rulesAgain: boolean;
  remembered: RememberedFinding[];
  shown?: Shown;
}

export class DocumentReviews {
  private readonly docs = new Map<string, DocState>();
  private readonly committed = new CommittedSides();
  private readonly watchers = new Map<string, () => void>();
  private modelQueue: Promise<void> = Promise.resolve();
  private readonly modelWanted = new Set<DocState>();
  private closed = false;

  constructor(
    private readonly sessions: Sessions,
    private timing: Timing,
    private readonly events: ReviewEvents,
  ) {}

  /** The editor's settings, known once it has said what it can (initialize). */
  retime(timing: Timing): void {
    this.timing = timing;
  }

  shownFor(uri: string): Shown | undefined {
    return this.docs.get(uri)?.shown;
  }

  opened(doc: TextDocument): void {
    if (!doc.uri.startsWith('file:')) return;
    const state: DocState = { doc, seen: doc.version, path: fileURLToPath(doc.uri), rulesAgain: false, remembered: [] };
    this.docs.set(doc.uri, state);
    this.runRules(state);
    this.queueModel(state);
  }

  changed(doc: TextDocument): void {
    const state = this.docs.get(doc.uri);
    // The library announces an opened document as changed too: that version is being reviewed already.
    if (!state || state.seen === doc.version) return;
    state.doc = doc;
    state.seen = doc.version;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => this.runRules(state), this.timing.debounceMs);
    if (this.timing.idleMs !== null) {
      clearTimeout(state.idle);
      state.idle = setTimeout(() => this.queueModel(state), this.timing.idleMs);
    }
  }

  async saved(doc: TextDocument): Promise<void> {
    const state = this.docs.get(doc.uri);
    if (!state) return;
    state.doc = doc;
    const top = await this.topOf(state);
    if (top === null) return;
    // The policy, the user's config and the key hosts are read again: a saved policy applies at once.
    this.sessions.refresh(top);
    const name = path.basename(state.path);
    if ((SEARCH_PLACES as readonly string[]).includes(name)) this.reviewRepository(top);
    this.queueModel(state);
  }

  closedDoc(uri: string): void {
    const state = this.docs.get(uri);
    if (!state) return;
    clearTimeout(state.timer);
    clearTimeout(state.idle);
    this.docs.delete(uri);
    this.events.show(uri, null);
  }

  /** Every open document of the repository at `top` (or all) reviewed again by the built-in rules. */
  reviewRepository(top?: string): void {
    for (const state of this.docs.values()) {
      void this.topOf(state).then((t) => {
        if (t !== null && (top === undefined || t === top)) this.runRules(state);
      });
    }
  }

  async dispose(): Promise<void> {
    this.closed = true;
    for (const state of this.docs.values()) {
      clearTimeout(state.timer);
      clearTimeout(state.idle);
    }
    for (const stop of this.watchers.values()) stop();
    await Promise.allSettled([...[...this.docs.values()].map((s) => s.rules), this.modelQueue]);
    await this.committed.dispose();
  }

  private topOf(state: DocState): Promise<string | null> {
    const top = (state.top ??= this.sessions.topOf(state.path).catch(() => null));
    // Not in a repository (or git failed): asked again next time, see Sessions.topOf.
    void top.then((found) => {
      if (found === null && state.top === top) delete state.top;
    });
    return top;
  }

  /** The built-in rules on the buffer as it is now; one run at a time per document, the latest change last. */
  private runRules(state: DocState): void {
    if (this.closed || this.docs.get(state.doc.uri) !== state) return;
    if (state.rules) {
      state.rulesAgain = true;
      return;
    }
    state.rules = this.review(state, false)
      .catch((error: unknown) => this.events.log(`built-in review of ${state.path} failed: ${messageOf(error)}`))
      .finally(() => {
        state.rules = undefined;
        if (state.rulesAgain) {
          state.rulesAgain = false;
          this.runRules(state);
        }
      });
  }

  /** A model review of the document, after those already waiting; a document waits at most once. */
  private queueModel(state: DocState): void {
    if (this.closed || this.modelWanted.has(state)) return;
    this.modelWanted.add(state);
    this.modelQueue = this.modelQueue.then(async () => {
      this.modelWanted.delete(state);
      if (this.closed || this.docs.get(state.doc.uri) !== state) return;
      await this.review(state, true).catch((error: unknown) => {
        this.events.modelFailed(messageOf(error));
        this.runRules(state);
      });
    });
  }

  private async review(state: DocState, model: boolean): Promise<void> {
    const { doc } = state;
    const version = doc.version;
    const text = doc.getText();
    const top = await this.topOf(state);
    const session = top === null ? null : await this.sessions.sessionAt(top);
    if (top === null || session === null) return this.show(state, null);
    this.watch(top, session);
    const change = await readChange(session, { kind: 'buffer', path: state.path, text, committed: this.committed });
    let result: ReviewResult;
    if (model && change.files.length > 0) {
      const progress = await this.events.progress(path.basename(state.path));
      try {
        result = await reviewChange(session, change, { onProgress: (done, total) => progress.report(done, total) });
      } finally {
        progress.done();
      }
      state.remembered = rememberFindings(result.findings, text.split(/\r?\n/));
      if (result.errors.length > 0) this.events.modelFailed(result.errors[0]!);
    } else {
      result = await reviewChange(session, change, { model: false, carried: carryFindings(state.remembered, change.files[0]) });
    }
    // A review of an older buffer than the one shown is not shown; one the editor has moved past is redone by rules.
    if (this.docs.get(doc.uri) !== state || (state.shown && state.shown.version > version)) return;
    this.show(state, { version, text, result, change, session });
    if (state.doc.version !== version && model) this.runRules(state);
  }

  private show(state: DocState, shown: Shown | null): void {
    if (shown) state.shown = shown;
    else delete state.shown;
    this.events.show(state.doc.uri, shown);
  }

  private watch(top: string, session: Session): void {
    if (this.watchers.has(top) || this.closed) return;
    this.watchers.set(
      top,
      watchGit(session.repo.gitDir, () => {
        this.committed.forget(top);
        this.reviewRepository(top);
      }),
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
