// Imported first by bin.ts, so that this runs before the rest of the CLI initialises (the rule tables alone take
// ~8 ms, the command's modules more): for `codeai-hook run`, the hook's two gits start here and work while Node
// loads what will read their answers (commands/run-start.ts). Nothing else of the CLI is loaded by this module.

import { startHookGitEarly } from './commands/run-start.js';

startHookGitEarly(process.argv.slice(2), process.env, () => process.cwd());
