// True and false examples: source hosting, CI and package registries.
import { checksummedToken } from '../fixtures/fakes.js';
import { ALNUM, B64, chars, HEX, LOWER_ALNUM, pypiToken, URLSAFE, uuid, type ExampleTable } from './make.js';

const github = (prefix: string) => checksummedToken(prefix, chars(ALNUM, 30));
const badChecksum = (token: string) => token.slice(0, 34) + (token.slice(34) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');
const npm = () => checksummedToken('npm_', chars(ALNUM, 30));

export const VCS_EXAMPLES: ExampleTable = {
  'github-token': {
    hit: [`const auth = '${github('ghp_')}';`, `GITHUB_TOKEN=${github('gho_')}`, `git clone https://x-access-token:${github('ghs_')}@github.com/acme/app.git`],
    miss: [
      `const auth = '${badChecksum(github('ghp_'))}';`,
      "const auth = 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';",
      `const prefix = 'ghp_';`,
      `const short = '${github('ghp_').slice(0, 20)}';`,
      "const templated = 'ghp_<your-token>';",
      '// Classic tokens start with ghp_ and fine-grained ones with github_pat_.',
    ],
  },
  'github-fine-grained-pat': {
    hit: [`GH_TOKEN=github_pat_${chars(ALNUM, 22)}_${chars(ALNUM, 59)}`],
    miss: ['GH_TOKEN=github_pat_<your-token>', `GH_TOKEN=github_pat_${chars(ALNUM, 22)}`],
  },
  'gitlab-token': {
    hit: [`GITLAB_TOKEN=glpat-${chars(URLSAFE, 20)}`, `token = "glptt-${chars(HEX, 40)}"`, `RUNNER_TOKEN=glrt-${chars(ALNUM, 20)}`],
    miss: ['GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx', 'prefix = "glpat-"'],
  },
  'gitlab-runner-registration-token': { hit: [`registration_token = "GR1348941${chars(URLSAFE, 20)}"`], miss: ['registration_token = "GR1348941"'] },
  'gitlab-session-cookie': { hit: [`curl -b "_gitlab_session=${chars(LOWER_ALNUM, 32)}" https://gitlab.acme.io`], miss: ['cookie name: _gitlab_session='] },
  'bitbucket-client-id': { hit: [`BITBUCKET_CLIENT_ID=${chars(LOWER_ALNUM, 32)}`], miss: ['BITBUCKET_CLIENT_ID=your-bitbucket-client-id-xxxxxxx'] },
  'bitbucket-client-secret': { hit: [`BITBUCKET_CLIENT_SECRET=${chars(LOWER_ALNUM, 64)}`], miss: [`CLIENT_SECRET_NAME=${chars(LOWER_ALNUM, 64)}`.replace('CLIENT_SECRET_NAME', 'BUILD_CACHE_SHA')] },
  'atlassian-api-token': { hit: [`JIRA_TOKEN=ATATT3${chars(URLSAFE, 186)}`], miss: ['JIRA_TOKEN=ATATT3xFfGF0'] },
  'atlassian-api-token-named': { hit: [`jira_api_token = "${chars(LOWER_ALNUM, 20)}${chars(HEX, 4)}"`], miss: ['jira_url = "https://acme.atlassian.net/browse/PROJ-1"'] },
  'npm-access-token': {
    hit: [`//registry.npmjs.org/:_authToken=${npm()}`, `NPM_TOKEN=${checksummedToken('npm_', chars(ALNUM, 30), { withPrefix: true })}`],
    miss: [`NPM_TOKEN=${badChecksum(npm())}`, 'NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  'npmrc-auth-token': {
    hit: [{ path: '.npmrc', text: `//npm.pkg.github.com/:_authToken=${uuid()}` }, { path: '.yarnrc.yml', text: `npmAuthToken: "${chars(ALNUM, 36)}"` }],
    miss: [
      { path: '.npmrc', text: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}' },
      { path: '.npmrc', text: 'always-auth=true' },
      // the rule's own table, which names the keys with commas between them
      { path: 'src/rules.ts', text: "keywords: [':_auth', ':_password', 'npmauth']," },
      { path: 'test/corpus.ts', text: "{ path: '.npmrc', text: '//registry.npmjs.org/:_authToken={v}\\nsave-exact=true' }," },
    ],
  },
  'pypi-upload-token': {
    hit: [{ path: '.pypirc', text: `[pypi]\nusername = __token__\npassword = ${pypiToken()}` }, `TWINE_PASSWORD=${pypiToken('test.pypi.org')}`],
    miss: [`TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc${chars(URLSAFE, 80)}`, `TWINE_PASSWORD=${pypiToken('evil.example')}`],
  },
  'rubygems-api-token': { hit: [`GEM_HOST_API_KEY=rubygems_${chars(HEX, 48)}`], miss: ['GEM_HOST_API_KEY=rubygems_'] },
  'clojars-api-token': { hit: [`CLOJARS_TOKEN=CLOJARS_${chars(LOWER_ALNUM, 60)}`], miss: ['CLOJARS_USERNAME=acme'] },
  'nuget-config-password': {
    hit: [{ path: 'NuGet.config', text: `<add key="ClearTextPassword" value="${chars(ALNUM, 16)}" />` }],
    miss: [{ path: 'NuGet.config', text: '<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />' }],
  },
  'docker-config-auth': {
    hit: [{ path: '.docker/config.json', text: `{ "auths": { "ghcr.io": { "auth": "${Buffer.from(`deploy:${chars(ALNUM, 20)}`).toString('base64')}" } } }` }],
    miss: [
      { path: '.docker/config.json', text: `{ "auths": { "ghcr.io": { "auth": "${Buffer.from('user:password').toString('base64')}" } } }` },
      { path: 'api.json', text: `{ "auth": "${chars(B64, 40)}" }` },
    ],
  },
  'artifactory-api-key': { hit: [`ARTIFACTORY_KEY=AKCp${chars(ALNUM, 69)}`], miss: ['ARTIFACTORY_KEY=AKCp'] },
  'artifactory-reference-token': { hit: [`ARTIFACTORY_TOKEN=cmVmd${chars(ALNUM, 59)}`], miss: ['ARTIFACTORY_TOKEN=cmVmdA'] },
  'jfrog-api-key': { hit: [`jfrog_api_key = "${chars(LOWER_ALNUM, 73)}"`], miss: ['jfrog_url = "https://acme.jfrog.io"'] },
  'jfrog-identity-token': { hit: [`artifactory_identity_token = "${chars(LOWER_ALNUM, 64)}"`], miss: [`artifactory_digest = "${'0'.repeat(64)}"`] },
  'sourcegraph-access-token': { hit: [`SRC_ACCESS_TOKEN=sgp_${chars(HEX, 16)}_${chars(HEX, 40)}`], miss: ['SRC_ACCESS_TOKEN=sgp_local'] },
  'codecov-access-token': { hit: [`CODECOV_TOKEN=${uuid()}`], miss: ['CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}'] },
  'droneci-access-token': { hit: [`DRONE_TOKEN=${chars(LOWER_ALNUM, 32)}`], miss: ['DRONE_SERVER=https://drone.acme.io'] },
  'travisci-access-token': { hit: [`TRAVIS_TOKEN=${chars(LOWER_ALNUM, 22)}`], miss: ['TRAVIS_BRANCH=main'] },
  'snyk-api-token': { hit: [`SNYK_TOKEN=${uuid()}`], miss: [`SNYK_ORG=${uuid()}`] },
  'sonar-api-token': { hit: [`SONAR_TOKEN=squ_${chars(HEX, 40)}`], miss: ['SONAR_TOKEN=squ_'] },
  'sonar-api-token-named': { hit: [`sonar.login=${chars(LOWER_ALNUM, 40)}`], miss: ['sonar.host.url=https://sonarcloud.io'] },
  'gitter-access-token': { hit: [`GITTER_TOKEN=${chars(URLSAFE, 40)}`], miss: ['GITTER_ROOM=acme/dev'] },
  'sidekiq-secret': { hit: [`BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${chars(HEX, 8)}:${chars(HEX, 8)}`], miss: ['BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${SIDEKIQ_CREDS}'] },
  'sidekiq-sensitive-url': { hit: [`source "https://${chars(HEX, 8)}:${chars(HEX, 8)}@enterprise.contribsys.com/"`], miss: ['source "https://enterprise.contribsys.com/"'] },
  'postman-api-token': { hit: [`POSTMAN_API_KEY=PMAK-${chars(HEX, 24)}-${chars(HEX, 34)}`], miss: ['POSTMAN_API_KEY=PMAK-'] },
  'readme-api-token': { hit: [`README_API_KEY=rdme_${chars(LOWER_ALNUM, 70)}`], miss: ['README_API_KEY=rdme_'] },
  'prefect-api-token': { hit: [`PREFECT_API_KEY=pnu_${chars(ALNUM, 36)}`], miss: ['PREFECT_API_KEY=pnu_'] },
  'settlemint-access-token': { hit: [`SETTLEMINT_TOKEN=sm_pat_${chars(ALNUM, 16)}`], miss: ['SETTLEMINT_TOKEN=sm_pat_'] },
  'buildkite-api-token': { hit: [`BUILDKITE_API_TOKEN=bkua_${chars(HEX, 40)}`], miss: ['BUILDKITE_API_TOKEN=bkua_'] },
};
