// Cloud providers and infrastructure: AWS, Google Cloud, Azure, Alibaba, DigitalOcean, Heroku, Yandex, Cloudflare,
// Fly.io, HashiCorp, and the platforms that deploy and host code.
import type { LineRule } from '../types.js';
import { decodeBase64 } from '../checksum.js';
import { isPlaceholder, isWordLike, shannonEntropy } from '../value.js';
import { ASSIGN, named, token, TOKEN_START, UUID } from './build.js';

const FAMILY = 'Cloud and infrastructure';
const AWS_KEY_ID = '(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}';

/** An AWS secret key: 40 base64 characters that do not read as words. */
const awsSecret = (v: string) => !isPlaceholder(v) && !isWordLike(v) && shannonEntropy(v) >= 4 && /[A-Z]/.test(v) && /[a-z]/.test(v);

/** The family's rules, built when the table is (secrets.ts). */
export const cloudRules = (): LineRule[] => [
  token({
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    issuer: 'AWS IAM',
    hint: 'Deactivate the key in IAM, then use a role, AWS SSO or the AWS_ACCESS_KEY_ID environment variable instead of a literal.',
    family: FAMILY,
    pattern: AWS_KEY_ID,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    minEntropy: 3,
    limits: 'the documentation key AKIAIOSFODNN7EXAMPLE and other …EXAMPLE ids',
  }),
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    category: 'security',
    family: FAMILY,
    hint: 'Deactivate the key pair in IAM and read credentials from the environment or the AWS credential chain.',
    limits: 'a secret key on a line with neither its name nor its key id (the id is caught on its own)',
    // Named (`aws_secret_access_key = …`, `SecretAccessKey: …`), or after its key id on the same line, as in the
    // console's credentials.csv (`user,,AKIA…,wJal…,https://…`).
    pattern: () => new RegExp(
      String.raw`(?:(?:secret[_-]?access[_-]?key|aws[_-]?secret(?:[_-]?access)?(?:[_-]?key)?)${ASSIGN}|${TOKEN_START}${AWS_KEY_ID}["']?[ \t]{0,4}[,;|:= \t]["']?[ \t]{0,4})([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'i',
    ),
    keywords: ['secret', 'akia', 'asia'],
    secretGroup: 1,
    verify: awsSecret,
  },
  token({
    id: 'aws-bedrock-api-key',
    title: 'Amazon Bedrock API key',
    issuer: 'the AWS console (Bedrock → API keys)',
    family: FAMILY,
    pattern: String.raw`ABSK[A-Za-z0-9+/]{109,269}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%-]{20,2000}`,
    keywords: ['absk', 'bedrock-api-key-'],
    minEntropy: 3,
  }),
  token({
    id: 'google-api-key',
    title: 'Google API key',
    issuer: 'Google Cloud console (APIs & Services → Credentials: delete or restrict it)',
    hint: 'Delete or restrict the key in Google Cloud console (APIs & Services → Credentials) and load it from configuration.',
    family: FAMILY,
    severity: 'high',
    pattern: 'AIza[0-9A-Za-z_-]{35}',
    keywords: ['aiza'],
    minEntropy: 3.5,
    limits: 'nothing tells a browser key restricted to one site from an unrestricted one: both are reported',
  }),
  token({
    id: 'gcp-oauth-client-secret',
    title: 'Google OAuth client secret',
    issuer: 'Google Cloud console (APIs & Services → Credentials)',
    family: FAMILY,
    severity: 'high',
    pattern: 'GOCSPX-[A-Za-z0-9_-]{28}',
    keywords: ['gocspx-'],
  }),
  token({
    id: 'azure-storage-key',
    anchored: false,
    title: 'Azure storage account key',
    issuer: 'the Azure portal (storage account → Access keys: rotate it)',
    family: FAMILY,
    // Connection strings: `AccountKey=<88 base64 characters>`.
    pattern: String.raw`AccountKey=([A-Za-z0-9+/]{86}==)`,
    secretGroup: 1,
    keywords: ['accountkey='],
    limits: "a key outside a connection string's AccountKey= field; the storage emulator's published key",
  }),
  token({
    id: 'azure-sas-token',
    anchored: false,
    title: 'Azure shared access signature',
    issuer: 'the Azure portal (rotate the key the signature was made with, or revoke its stored access policy)',
    family: FAMILY,
    severity: 'high',
    pattern: String.raw`sv=20\d\d-\d\d-\d\d&[^\s"'<>]{0,300}?sig=([A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})`,
    secretGroup: 1,
    keywords: ['sig='],
    ignoreCase: false,
  }),
  token({
    id: 'azure-ad-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    issuer: 'the Azure portal (App registrations → Certificates & secrets)',
    family: FAMILY,
    pattern: String.raw`[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}`,
    keywords: ['q~'],
    minEntropy: 3,
  }),
  token({
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud AccessKey id',
    issuer: 'the Alibaba Cloud RAM console',
    family: FAMILY,
    severity: 'high',
    pattern: 'LTAI[A-Za-z0-9]{20}',
    keywords: ['ltai'],
    minEntropy: 3,
  }),
  named({ id: 'alibaba-secret-key', title: 'Alibaba Cloud AccessKey secret', issuer: 'the Alibaba Cloud RAM console', family: FAMILY, names: 'alibaba|aliyun', value: '[a-z0-9]{30}', keywords: ['alibaba', 'aliyun'] }),
  token({ id: 'digitalocean-access-token', title: 'DigitalOcean token', issuer: 'the DigitalOcean control panel (API → Tokens)', family: FAMILY, pattern: 'do[opr]_v1_[a-f0-9]{64}', keywords: ['doo_v1_', 'dop_v1_', 'dor_v1_'] }),
  named({ id: 'heroku-api-key', title: 'Heroku API key', issuer: 'Heroku (Account settings → API key)', family: FAMILY, names: 'heroku', value: UUID, keywords: ['heroku'] }),
  token({ id: 'heroku-api-key-v2', title: 'Heroku API key', issuer: 'Heroku (Account settings → API key)', family: FAMILY, pattern: 'HRKU-AA[0-9a-zA-Z_-]{58}', keywords: ['hrku-aa'] }),
  named({ id: 'yandex-api-key', title: 'Yandex Cloud API key', issuer: 'the Yandex Cloud console', family: FAMILY, names: 'yandex', value: 'AQVN[A-Za-z0-9_-]{35,38}', keywords: ['yandex'] }),
  named({ id: 'yandex-aws-access-token', title: 'Yandex Cloud static access key', issuer: 'the Yandex Cloud console', family: FAMILY, names: 'yandex', value: 'YC[a-zA-Z0-9_-]{38}', keywords: ['yandex'] }),
  named({ id: 'yandex-access-token', title: 'Yandex OAuth token', issuer: 'the Yandex OAuth settings', family: FAMILY, names: 'yandex', value: 't1\\.[A-Z0-9a-z_-]{1,200}={0,2}\\.[A-Z0-9a-z_-]{86}={0,2}', keywords: ['yandex'] }),
  named({ id: 'cloudflare-api-key', title: 'Cloudflare API token', issuer: 'the Cloudflare dashboard (My Profile → API Tokens)', family: FAMILY, names: 'cloudflare|cf[_-]api', value: '[a-z0-9_-]{40}', keywords: ['cloudflare', 'cf_api', 'cf-api'] }),
  named({ id: 'cloudflare-global-api-key', title: 'Cloudflare global API key', issuer: 'the Cloudflare dashboard (My Profile → API Tokens)', family: FAMILY, names: 'cloudflare|cf[_-]api', value: '[a-f0-9]{37}', keywords: ['cloudflare', 'cf_api', 'cf-api'] }),
  token({ id: 'cloudflare-origin-ca-key', title: 'Cloudflare Origin CA key', issuer: 'the Cloudflare dashboard', family: FAMILY, pattern: 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}', keywords: ['v1.0-'] }),
  token({ id: 'flyio-access-token', title: 'Fly.io access token', issuer: 'Fly.io (fly tokens revoke)', family: FAMILY, pattern: 'fo1_[\\w-]{43}|fm1[ar]_[a-zA-Z0-9+/]{100,2000}={0,3}|fm2_[a-zA-Z0-9+/]{100,4000}={0,3}', keywords: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'], minEntropy: 4 }),
  token({ id: 'vault-service-token', title: 'HashiCorp Vault token', issuer: 'Vault (vault token revoke)', family: FAMILY, pattern: 'hvs\\.[\\w-]{90,120}|hvb\\.[\\w-]{138,300}|hvr\\.[\\w-]{20,200}', keywords: ['hvs.', 'hvb.', 'hvr.'], minEntropy: 3.5 }),
  token({ id: 'hashicorp-tf-api-token', title: 'Terraform Cloud / HCP API token', issuer: 'Terraform Cloud (User settings → Tokens)', family: FAMILY, pattern: '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}', keywords: ['atlasv1'], minEntropy: 3.5 }),
  token({ id: 'doppler-api-token', title: 'Doppler token', issuer: 'Doppler (Access → Tokens)', family: FAMILY, pattern: 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}', keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'] }),
  token({ id: 'pulumi-api-token', title: 'Pulumi access token', issuer: 'Pulumi Cloud (Access tokens)', family: FAMILY, pattern: 'pul-[a-f0-9]{40}', keywords: ['pul-'], minEntropy: 3 }),
  token({ id: 'scalingo-api-token', title: 'Scalingo API token', issuer: 'the Scalingo dashboard', family: FAMILY, pattern: 'tk-us-[\\w-]{48}', keywords: ['tk-us-'] }),
  token({ id: 'openshift-user-token', title: 'OpenShift user token', issuer: 'OpenShift (oc delete oauthaccesstoken)', family: FAMILY, severity: 'high', pattern: 'sha256~[\\w-]{43}', keywords: ['sha256~'], minEntropy: 3.5 }),
  named({ id: 'netlify-access-token', title: 'Netlify access token', issuer: 'Netlify (User settings → Applications)', family: FAMILY, names: 'netlify', value: '[a-z0-9=_-]{40,46}', keywords: ['netlify'] }),
  token({ id: 'vercel-token', title: 'Vercel token', issuer: 'Vercel (Account settings → Tokens)', family: FAMILY, pattern: 'vc[pkiar]_[A-Za-z0-9]{56}', keywords: ['vcp_', 'vck_', 'vci_', 'vca_', 'vcr_'], minEntropy: 3.5 }),
  token({ id: 'databricks-api-token', title: 'Databricks token', issuer: 'Databricks (User settings → Access tokens)', family: FAMILY, pattern: 'dapi[a-f0-9]{32}(?:-\\d)?', keywords: ['dapi'], minEntropy: 3 }),
  token({ id: 'clickhouse-cloud-api-secret-key', title: 'ClickHouse Cloud API secret', issuer: 'ClickHouse Cloud (API keys)', family: FAMILY, pattern: '4b1d[A-Za-z0-9]{38}', keywords: ['4b1d'], minEntropy: 3 }),
  token({ id: 'planetscale-token', title: 'PlanetScale token or password', issuer: 'PlanetScale (Settings → Service tokens / Passwords)', family: FAMILY, pattern: 'pscale_(?:tkn|oauth|pw)_[\\w=.-]{32,64}', keywords: ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'], minEntropy: 3 }),
  token({ id: 'infracost-api-token', title: 'Infracost API key', issuer: 'Infracost Cloud', family: FAMILY, pattern: 'ico-[a-zA-Z0-9]{32}', keywords: ['ico-'], minEntropy: 3 }),
  token({ id: 'defined-networking-api-token', title: 'Defined Networking API token', issuer: 'Defined Networking', family: FAMILY, pattern: 'dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}', ignoreCase: true, keywords: ['dnkey-'] }),
  token({ id: 'harness-api-key', title: 'Harness API key', issuer: 'Harness (API keys)', family: FAMILY, pattern: '(?:pat|sat)\\.[a-zA-Z0-9_-]{22}\\.[a-zA-Z0-9]{24}\\.[a-zA-Z0-9]{20}', keywords: ['pat.', 'sat.'] }),
  token({ id: 'octopus-deploy-api-key', title: 'Octopus Deploy API key', issuer: 'Octopus Deploy (Profile → API keys)', family: FAMILY, severity: 'high', pattern: 'API-[A-Z0-9]{26}', keywords: ['api-'], minEntropy: 3 }),
  {
    id: 'kubernetes-secret-value',
    title: 'Kubernetes Secret value',
    severity: 'high',
    category: 'security',
    family: FAMILY,
    hint: 'Keep Secret manifests out of the repository (sealed-secrets, SOPS, an external secret store) and rotate what was committed.',
    limits: 'the manifest as a whole: only a `data:` value on a line of its own with a base64 value decoding to a secret-like string',
    // `  DB_PASSWORD: c2VjcmV0…` under `data:` of a `kind: Secret`: a base64 value that decodes to printable text
    // and is named like a credential. Values of other kinds (ConfigMap binaryData, CA bundles) do not decode so.
    pattern: () => /^[ \t]+[\w.-]*(?:pass|secret|token|key|credential|auth)[\w.-]*:[ \t]*["']?([A-Za-z0-9+/]{12,4000}={0,2})["']?[ \t]*$/i,
    keywords: ['pass', 'secret', 'token', 'key', 'credential', 'auth'],
    // the leading `[ \t]+` and the `:` above
    needs: [[' ', '\t'], [':']],
    secretGroup: 1,
    fileFilter: (path) => /\.ya?ml$/i.test(path),
    inTests: 'low',
    verify: (v) => {
      const bytes = decodeBase64(v);
      const text = bytes?.toString('utf8') ?? '';
      return text.length >= 6 && /^[\x20-\x7e]+$/.test(text) && !isPlaceholder(text) && !isWordLike(text);
    },
  },
];
