// Injected by the build (scripts/build.mjs) into each model client's bundle, in place of two globals that are Node's
// bundled undici: the first touch of either loads and runs that whole library (~35 ms of every commit that asks
// OpenAI or Anthropic, measured with --cpu-prof), though every request goes through our own fetch (http-fetch.ts).
// Only the bundles see these; the globals stay Node's. test/e2e/bundle.test.ts checks that undici stays unloaded.

export { HttpHeaders as Headers } from './http-headers.js';

/**
 * The clients ask `body instanceof FormData` of every request body. A FormData is told by its tag, which needs no
 * undici; a client that really builds one (a file upload, never done here) gets Node's own.
 */
function SdkFormData(...args: ConstructorParameters<typeof FormData>): FormData {
  return new globalThis.FormData(...args);
}
Object.defineProperty(SdkFormData, Symbol.hasInstance, {
  value: (value: unknown) => Object.prototype.toString.call(value) === '[object FormData]',
});

export { SdkFormData as FormData };
