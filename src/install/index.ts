// Hook wiring: `codeai-hook install`, `uninstall` and the hook part of `doctor`. See DESIGN.md, "Hook wiring".
export { install, type InstallOptions } from './install.js';
export { uninstall, type UninstallOptions } from './uninstall.js';
export { hookStatus } from './status.js';
export type { HookStatus, InstallReport } from './report.js';
