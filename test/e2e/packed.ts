// The package as a user gets it: `npm pack` of a copy of the checkout (so its own build must produce everything),
// installed with npm into a project. Slow (a build and an install): a suite packs once and shares it.
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, TestRepo } from './harness.js';

export interface PackedInstall {
  tarball: string;
  /** A project with the tarball installed: its node_modules can be linked into other projects. */
  project: TestRepo;
  cleanup(): void;
}

/** What npm needs to reach its registry: the CA bundle test/setup-env.ts put aside, if the machine has one. */
export function registryEnv(): Record<string, string> {
  const ca = process.env.CODEAI_TEST_NODE_EXTRA_CA_CERTS;
  return ca === undefined ? {} : { NODE_EXTRA_CA_CERTS: ca };
}

export const NPM_ENV = {
  npm_config_loglevel: 'error',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_cache: path.join(os.homedir(), '.npm'),
  ...registryEnv(),
};

export function packAndInstall(): PackedInstall {
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'codeai-pack-'));
  // Pack a copy without dist/, so the package's own build must produce everything (and the other tests,
  // which run the checkout's dist/ meanwhile, never see it rebuilt under them).
  const source = path.join(packDir, 'source');
  cpSync(ROOT, source, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist|\.git|coverage)$/.test(src) && !src.endsWith('.tgz'),
  });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  // What npm publish runs first (prepublishOnly); npm pack itself runs no script, so that the pre-commit
  // framework's `npm pack` of a clone prints only the tarball's name (it reads that from stdout).
  execFileSync('npm', ['run', 'prepublishOnly', '--loglevel=error'], { cwd: source, stdio: 'pipe' });
  const printed = execFileSync('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], { cwd: source, encoding: 'utf8' });
  const name = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!name) throw new Error('npm pack wrote no tarball');
  if (printed !== `${name}\n`) throw new Error(`npm pack printed more than the tarball's name: ${printed}`);
  const tarball = path.join(packDir, name);

  const project = new TestRepo({ name: 'project' });
  project.write('package.json', JSON.stringify({ name: 'project', version: '1.0.0', private: true }, null, 2) + '\n');
  project.write('.gitignore', 'node_modules/\n');
  const install = project.run('npm', ['install', '--save-dev', '--prefer-offline', tarball], { env: NPM_ENV });
  if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
  return {
    tarball,
    project,
    cleanup() {
      project.cleanup();
      rmSync(packDir, { recursive: true, force: true });
    },
  };
}
