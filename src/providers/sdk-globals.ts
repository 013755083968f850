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

/**
 * The clients ask `body instanceof globalThis.ReadableStream` of every request body, and naming Node's ReadableStream
 * loads its web stream modules (~3 ms of a commit; body-stream.ts says why our responses do without them). A stream
 * is told by its tag here; a client that builds one (toReadableStream, never done here) gets Node's own. The build
 * points the bundles' `globalThis.ReadableStream` at this (scripts/build.mjs).
 */
function SdkReadableStream(...args: ConstructorParameters<typeof ReadableStream>): ReadableStream {
  // Named through a variable: the build's define rewrites `globalThis.ReadableStream` in this file too.
  const nodes: typeof ReadableStream = Reflect.get(globalThis, NODE_READABLE_STREAM);
  return new nodes(...args);
}
const NODE_READABLE_STREAM = 'ReadableStream';
Object.defineProperty(SdkReadableStream, Symbol.hasInstance, {
  value: (value: unknown) => Object.prototype.toString.call(value) === '[object ReadableStream]',
});

export { SdkReadableStream as __codeaiSdkReadableStream };
