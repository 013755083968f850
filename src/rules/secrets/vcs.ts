// Source hosting, CI and package registries: GitHub, GitLab, Bitbucket, Atlassian, npm, PyPI, RubyGems, Docker,
// JFrog, and the CI and code-quality services around them.
import type { LineRule } from '../types.js';
import { decodesToUserPassword, hasBase62Checksum, isPypiMacaroon } from '../checksum.js';
import { isPlaceholder, isStandInPassword, shannonEntropy } from '../value.js';
import { named, token, UUID } from './build.js';

const FAMILY = 'Source hosting, CI and packages';

/** GitHub's classic tokens end in a checksum; longer ones (GitHub may lengthen them) are taken on their shape. */
const githubChecksum = (t: string) => t.length !== 40 || hasBase62Checksum(t);

/**
 * npm's tokens follow GitHub's format. Which characters its CRC32 covers is not published by npm itself, so both
 * readings are accepted: a look-alike still fails both (a chance of 2 in 4 billion).
 */
const npmChecksum = (t: string) => hasBase62Checksum(t) || hasBase62Checksum(t, { withPrefix: true });

/** A configured credential, not a reference to one (`${NPM_TOKEN}`) or a placeholder. */
const configuredValue = (v: string) => !isPlaceholder(v) && !v.startsWith('$') && shannonEntropy(v) >= 3;

/** The family's rules, built when the table is (secrets.ts). */
export const vcsRules = (): LineRule[] => [
  token({
    id: 'github-token',
    title: 'GitHub token',
    issuer: 'GitHub (Settings → Developer settings)',
    hint: 'Revoke the token on GitHub (Settings → Developer settings) and pass it through an environment variable or the CI secret store.',
    family: FAMILY,
    pattern: 'gh[pousr]_[A-Za-z0-9]{36,251}',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    verify: githubChecksum,
    limits: 'tokens of the old 40-hex format (no prefix); look-alikes whose last 6 characters are not the CRC32 checksum',
  }),
  token({
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    issuer: 'GitHub (Settings → Developer settings → Fine-grained tokens)',
    family: FAMILY,
    pattern: 'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}',
    keywords: ['github_pat_'],
    minEntropy: 3.5,
  }),
  token({
    id: 'gitlab-token',
    title: 'GitLab token',
    issuer: 'GitLab (User settings → Access tokens, or the project/group/runner settings)',
    hint: 'Revoke the token in GitLab (User settings → Access tokens) and use a CI/CD variable instead.',
    family: FAMILY,
    pattern: [
      'glpat-[\\w-]{27,300}\\.[0-9a-z]{2}[0-9a-z]{7}',
      'glpat-[\\w-]{20}',
      'glrt-t\\d_[0-9a-zA-Z_-]{27,300}\\.[0-9a-z]{2}[0-9a-z]{7}',
      'gl(?:rt|dt|ft|soat|ffct)-[0-9a-zA-Z_-]{20}',
      'glptt-[0-9a-f]{40}',
      'glimt-[0-9a-zA-Z_-]{25}',
      'glagent-[0-9a-zA-Z_-]{50}',
      'gloas-[0-9a-zA-Z_-]{64}',
      'glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}',
    ].join('|'),
    keywords: ['glpat-', 'glrt-', 'gldt-', 'glft-', 'glsoat-', 'glffct-', 'glptt-', 'glimt-', 'glagent-', 'gloas-', 'glcbt-'],
    minEntropy: 3,
  }),
  token({ id: 'gitlab-runner-registration-token', title: 'GitLab runner registration token', issuer: 'GitLab (CI/CD settings → Runners: reset the registration token)', family: FAMILY, pattern: 'GR1348941[\\w-]{20}', keywords: ['gr1348941'], minEntropy: 3 }),
  token({ id: 'gitlab-session-cookie', title: 'GitLab session cookie', issuer: 'GitLab (sign out everywhere)', family: FAMILY, severity: 'high', pattern: '_gitlab_session=([0-9a-z]{32})', secretGroup: 1, keywords: ['_gitlab_session='], minEntropy: 3 }),
  named({ id: 'bitbucket-client-id', title: 'Bitbucket OAuth client id', issuer: 'Bitbucket (workspace settings → OAuth consumers)', family: FAMILY, severity: 'low', names: 'bitbucket', value: '[a-z0-9]{32}', keywords: ['bitbucket'] }),
  named({ id: 'bitbucket-client-secret', title: 'Bitbucket OAuth client secret', issuer: 'Bitbucket (workspace settings → OAuth consumers)', family: FAMILY, names: 'bitbucket', value: '[a-z0-9=_-]{64}', keywords: ['bitbucket'] }),
  token({ id: 'atlassian-api-token', title: 'Atlassian API token', issuer: 'Atlassian (id.atlassian.com → Security → API tokens)', family: FAMILY, pattern: 'ATATT3[A-Za-z0-9_=-]{186}', keywords: ['atatt3'], minEntropy: 3.5 }),
  named({ id: 'atlassian-api-token-named', title: 'Atlassian API token (legacy)', issuer: 'Atlassian (id.atlassian.com → Security → API tokens)', family: FAMILY, names: 'atlassian|confluence|jira', value: '[a-z0-9]{20}[a-f0-9]{4}', keywords: ['atlassian', 'confluence', 'jira'], minEntropy: 3.5 }),
  token({
    id: 'npm-access-token',
    title: 'npm access token',
    issuer: 'npm (npmjs.com → Access Tokens)',
    family: FAMILY,
    pattern: 'npm_[A-Za-z0-9]{36}',
    keywords: ['npm_'],
    verify: npmChecksum,
    limits: 'legacy UUID tokens outside an .npmrc (see npmrc-auth-token); look-alikes without the CRC32 checksum',
  }),
  {
    id: 'npmrc-auth-token',
    title: 'Registry credential in an npm or Yarn config',
    severity: 'critical',
    category: 'security',
    family: FAMILY,
    hint: 'Revoke the token at the registry and write `//registry…/:_authToken=${NPM_TOKEN}` so the value comes from the environment.',
    limits: 'credentials under other keys; `${NPM_TOKEN}`-style references are not flagged',
    // `//registry…/:_authToken=…` or `_auth=…` at a line's start (.npmrc, INI), `npmAuthToken: …` (.yarnrc.yml)
    pattern: () => /(?:\/:_(?:authToken|auth|password)\s*=|^\s*_(?:authToken|auth|password)\s*=|npmAuth(?:Token|Ident)["']?\s*:)\s*["']?([^\s"'#;`\\]{8,512})/,
    keywords: [':_auth', ':_password', 'npmauth'],
    secretGroup: 1,
    verify: configuredValue,
  },
  token({
    id: 'pypi-upload-token',
    title: 'PyPI API token',
    issuer: 'PyPI (Account settings → API tokens)',
    family: FAMILY,
    pattern: 'pypi-AgE[A-Za-z0-9_-]{50,1000}',
    keywords: ['pypi-age'],
    verify: isPypiMacaroon,
    limits: 'look-alikes that do not decode to a macaroon issued by pypi.org or test.pypi.org',
  }),
  token({ id: 'rubygems-api-token', title: 'RubyGems API key', issuer: 'rubygems.org (Settings → API keys)', family: FAMILY, pattern: 'rubygems_[a-f0-9]{48}', keywords: ['rubygems_'], minEntropy: 3 }),
  token({ id: 'clojars-api-token', title: 'Clojars deploy token', issuer: 'Clojars (Profile → Deploy tokens)', family: FAMILY, pattern: 'CLOJARS_[a-z0-9]{60}', ignoreCase: true, keywords: ['clojars_'], minEntropy: 3 }),
  {
    id: 'nuget-config-password',
    title: 'Password in a NuGet config',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    hint: 'Use `dotnet nuget add source … --store-password-in-clear-text` only on build machines; keep credentials in the user-level NuGet.config or environment.',
    limits: 'encrypted `Password` values (reported only when in ClearTextPassword); `%VAR%` references',
    pattern: () => /<add\s+key=["'](?:ClearText)?Password["']\s+value=["']([^"']{4,200})["']/i,
    keywords: ['password'],
    secretGroup: 1,
    fileFilter: (path) => /(?:^|\/)nuget\.config$/i.test(path),
    verify: (v) => !isPlaceholder(v),
  },
  {
    id: 'docker-config-auth',
    title: 'Registry credential in a Docker config',
    severity: 'critical',
    category: 'security',
    family: FAMILY,
    hint: 'Log out (`docker logout`), change the registry password, and use a credential helper (credsStore) instead of `auth` in config.json.',
    limits: 'credentials kept by a credential helper; an `auth` that is not base64 of user:password',
    // `"auth": "dXNlcjpwYXNz…"` in ~/.docker/config.json or a dockerconfigjson: base64 of `user:password`.
    pattern: () => /"auth"\s*:\s*"([A-Za-z0-9+/]{12,2000}={0,2})"/,
    keywords: ['"auth"'],
    secretGroup: 1,
    verify: (v) => {
      const pair = decodesToUserPassword(v);
      return pair !== null && !isStandInPassword(pair.password, pair.user) && pair.password.length >= 4;
    },
  },
  token({ id: 'artifactory-api-key', title: 'JFrog Artifactory API key', issuer: 'JFrog (Edit profile → API key)', family: FAMILY, pattern: 'AKCp[A-Za-z0-9]{69}', keywords: ['akcp'], minEntropy: 4.5 }),
  token({ id: 'artifactory-reference-token', title: 'JFrog Artifactory reference token', issuer: 'JFrog (Edit profile → Identity tokens)', family: FAMILY, pattern: 'cmVmd[A-Za-z0-9]{59}', keywords: ['cmvmd'], minEntropy: 4.5 }),
  named({ id: 'jfrog-api-key', title: 'JFrog API key', issuer: 'JFrog (Edit profile)', family: FAMILY, names: 'jfrog|artifactory|bintray|xray', value: '[a-z0-9]{73}', keywords: ['jfrog', 'artifactory', 'bintray', 'xray'] }),
  named({ id: 'jfrog-identity-token', title: 'JFrog identity token', issuer: 'JFrog (Edit profile)', family: FAMILY, names: 'jfrog|artifactory|bintray|xray', value: '[a-z0-9]{64}', keywords: ['jfrog', 'artifactory', 'bintray', 'xray'] }),
  token({ id: 'sourcegraph-access-token', title: 'Sourcegraph access token', issuer: 'Sourcegraph (Settings → Access tokens)', family: FAMILY, pattern: 'sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40}', keywords: ['sgp_'], minEntropy: 3 }),
  named({ id: 'codecov-access-token', title: 'Codecov token', issuer: 'Codecov (repository settings)', family: FAMILY, names: 'codecov', value: `${UUID}|[a-z0-9]{32}`, keywords: ['codecov'] }),
  named({ id: 'droneci-access-token', title: 'Drone CI token', issuer: 'Drone (User settings)', family: FAMILY, names: 'drone', value: '[a-z0-9]{32}', keywords: ['drone'] }),
  named({ id: 'travisci-access-token', title: 'Travis CI token', issuer: 'Travis CI (Settings → API authentication)', family: FAMILY, names: 'travis', value: '[a-z0-9]{22}', keywords: ['travis'] }),
  named({ id: 'snyk-api-token', title: 'Snyk API token', issuer: 'Snyk (Account settings)', family: FAMILY, names: 'snyk[_.-]?(?:(?:api|oauth)[_.-]?)?(?:key|token)', value: UUID, keywords: ['snyk'] }),
  token({ id: 'sonar-api-token', title: 'SonarQube / SonarCloud token', issuer: 'SonarQube (My Account → Security)', family: FAMILY, pattern: 'sq[upa]_[a-f0-9]{40}', keywords: ['squ_', 'sqp_', 'sqa_'], minEntropy: 3 }),
  named({ id: 'sonar-api-token-named', title: 'SonarQube / SonarCloud token', issuer: 'SonarQube (My Account → Security)', family: FAMILY, names: 'sonar[_.-]?(?:login|token)', value: '[a-z0-9=_-]{40}', keywords: ['sonar'] }),
  named({ id: 'gitter-access-token', title: 'Gitter token', issuer: 'Gitter (developer settings)', family: FAMILY, names: 'gitter', value: '[a-z0-9_-]{40}', keywords: ['gitter'] }),
  named({ id: 'sidekiq-secret', title: 'Sidekiq Enterprise/Pro credential', issuer: 'Contributed Systems (ask for new credentials)', family: FAMILY, names: 'bundle_enterprise__contribsys__com|bundle_gems__contribsys__com', value: '[a-f0-9]{8}:[a-f0-9]{8}', keywords: ['contribsys__com'], minEntropy: 2.5 }),
  token({ id: 'sidekiq-sensitive-url', anchored: false, title: 'Sidekiq Enterprise/Pro credential in a URL', issuer: 'Contributed Systems (ask for new credentials)', family: FAMILY, pattern: 'https?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\\.contribsys\\.com', secretGroup: 1, keywords: ['contribsys.com'] }),
  token({ id: 'postman-api-token', title: 'Postman API key', issuer: 'Postman (Settings → API keys)', family: FAMILY, pattern: 'PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}', keywords: ['pmak-'], minEntropy: 3 }),
  token({ id: 'readme-api-token', title: 'ReadMe API key', issuer: 'ReadMe (Project settings → API keys)', family: FAMILY, pattern: 'rdme_[a-z0-9]{70}', keywords: ['rdme_'] }),
  token({ id: 'prefect-api-token', title: 'Prefect API key', issuer: 'Prefect Cloud (API keys)', family: FAMILY, pattern: 'pnu_[a-zA-Z0-9]{36}', keywords: ['pnu_'], minEntropy: 3 }),
  token({ id: 'settlemint-access-token', title: 'SettleMint access token', issuer: 'SettleMint (access tokens)', family: FAMILY, pattern: 'sm_(?:aat|pat|sat)_[a-zA-Z0-9]{16}', keywords: ['sm_aat_', 'sm_pat_', 'sm_sat_'], minEntropy: 3 }),
  token({ id: 'buildkite-api-token', title: 'Buildkite API token', issuer: 'Buildkite (Personal settings → API access tokens)', family: FAMILY, pattern: 'bkua_[a-f0-9]{40}', keywords: ['bkua_'], minEntropy: 3 }),
];
