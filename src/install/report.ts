/** What install or uninstall did, one line per change for people, in the order made. */
export interface InstallReport {
  /** Absolute path of the pre-commit hook file that holds (or held) our block. */
  hookFile: string;
  actions: string[];
}

/** For `codeai-hook doctor`. */
export interface HookStatus {
  /** Our block is in the pre-commit hook file git runs. */
  installed: boolean;
  /** Absolute path of that file; null when no hook folder applies. */
  hookFile: string | null;
  /** One line: what runs, or what is missing and what to do. */
  detail: string;
}
