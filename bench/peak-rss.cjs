// Preloaded into a CLI run by bench/big-change.ts (NODE_OPTIONS=--require): writes the process's peak RSS in KB to
// the file CODEAI_PEAK_RSS_FILE names, on exit, so the figure is that process's own.
'use strict';
process.on('exit', () => {
  const file = process.env.CODEAI_PEAK_RSS_FILE;
  if (file) require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
});
