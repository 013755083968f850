// Preloaded (NODE_OPTIONS=--require) by test/e2e/bundle.test.ts: writes, on exit, whether Node's bundled undici was
// loaded (the global Headers, Response, Request, FormData and fetch are undici) to the file UNDICI_PROBE_FILE names,
// and whether Node's web streams were (the global ReadableStream) to WEB_STREAMS_PROBE_FILE.
'use strict';
process.on('exit', () => {
  const loaded = process.moduleLoadList.some((m) => m.includes('undici'));
  require('node:fs').writeFileSync(process.env.UNDICI_PROBE_FILE, loaded ? 'loaded' : 'not loaded');
  if (process.env.WEB_STREAMS_PROBE_FILE) {
    const streams = process.moduleLoadList.some((m) => m.includes('webstreams/readablestream'));
    require('node:fs').writeFileSync(process.env.WEB_STREAMS_PROBE_FILE, streams ? 'loaded' : 'not loaded');
  }
});
