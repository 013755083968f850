// Preloaded (NODE_OPTIONS=--require) by test/e2e/bundle.test.ts: writes, on exit, whether Node's bundled undici was
// loaded (the global Headers, Response, Request, FormData and fetch are undici) to the file UNDICI_PROBE_FILE names.
'use strict';
process.on('exit', () => {
  const loaded = process.moduleLoadList.some((m) => m.includes('undici'));
  require('node:fs').writeFileSync(process.env.UNDICI_PROBE_FILE, loaded ? 'loaded' : 'not loaded');
});
