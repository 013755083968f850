// import() of a module that is not part of the bundle: a user's JavaScript config, husky. The built CLI runs as a
// script compiled from V8's code cache (launcher.ts), where import() is refused without an experimental flag, so
// there the launcher's own import() is used, handed in as __codeaiHost; run from the sources (the tests), it is
// the ordinary import(). Specifiers are file URLs or package names, resolved from the package's own files.

interface LauncherHost {
  importModule(specifier: string): Promise<unknown>;
}

declare const __codeaiHost: LauncherHost | undefined;

export function importExternal(specifier: string): Promise<unknown> {
  return typeof __codeaiHost !== 'undefined' ? __codeaiHost.importModule(specifier) : import(specifier);
}
