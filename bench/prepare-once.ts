// Case 5 of the bench, in a process of its own so the figure is this work's peak alone: prints peak RSS in MB.
import { benchPrepare } from './prepare.js';

await benchPrepare(1);
console.log((process.resourceUsage().maxRSS / 1024).toFixed(1));
