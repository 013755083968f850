// True and false examples: private keys, cloud and infrastructure.
import { ALNUM, B64, chars, HEX, LOWER_ALNUM, URLSAFE, uuid, type ExampleTable } from './make.js';

const pem = (label: string, body: string[]) => [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join('\n');
const KEY = 'PRIVATE' + ' KEY';
const b64 = (text: string) => Buffer.from(`${text}\n`).toString('base64');
const awsId = () => 'AKIA' + chars('A-Z2-7', 16);
const awsSecret = () => chars(ALNUM, 20) + chars(B64, 20);

export const CLOUD_EXAMPLES: ExampleTable = {
  'private-key': {
    hit: [
      { path: 'deploy/id_rsa', text: pem(`RSA ${KEY}`, [chars(B64, 64), chars(B64, 64), chars(B64, 20) + '==']) },
      { path: 'sa.json', text: `  "private_key": "-----BEGIN ${KEY}-----\\n${chars(B64, 64)}\\n${chars(B64, 40)}\\n-----END ${KEY}-----\\n",` },
    ],
    miss: [
      { path: 'src/pem.ts', text: `const HEADER = '-----BEGIN RSA ${KEY}-----';\nif (line === HEADER) return parse(lines);` },
      { path: 'certs/ca.pem', text: pem('CERTIFICATE', [chars(B64, 64), chars(B64, 64)]) },
      { path: 'keys/id.pub', text: pem('PUBLIC KEY', [chars(B64, 64), chars(B64, 30) + '==']) },
    ],
  },
  'private-key-base64': {
    hit: [
      { path: 'k8s/tls.yaml', text: `data:\n  tls.key: ${b64(pem(`RSA ${KEY}`, [chars(B64, 64), chars(B64, 64)]))}` },
      { path: 'kubeconfig', text: `    client-key-data: ${b64(pem(`EC ${KEY}`, [chars(B64, 64), chars(B64, 40)]))}` },
    ],
    miss: [
      { path: 'k8s/tls.yaml', text: `  tls.crt: ${b64(pem('CERTIFICATE', [chars(B64, 64), chars(B64, 64)]))}` },
      { path: 'k8s/ca.yaml', text: `  ca.pub: ${b64(pem('PUBLIC KEY', [chars(B64, 64), chars(B64, 30)]))}` },
    ],
  },
  'age-secret-key': {
    hit: [`AGE-SECRET-KEY-1${chars('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`],
    miss: ['# public key: age1' + chars('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58), 'AGE-SECRET-KEY-1XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'],
  },
  'aws-access-key-id': {
    hit: [`aws_access_key_id = ${awsId()}`, `const id = "${'ASIA' + chars('A-Z2-7', 16)}";`],
    miss: ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', `const img = "data:image/png;base64,${chars(B64, 30)}/AKIA${chars('A-Z2-7', 16)}${chars(B64, 10)}";`],
  },
  'aws-secret-access-key': {
    hit: [
      `aws_secret_access_key = ${awsSecret()}`,
      `  SecretAccessKey: "${awsSecret()}"`,
      { path: 'credentials.csv', text: `User name,Password,Access key ID,Secret access key,Console login link\ndeploy,,${awsId()},${awsSecret()},https://123456789012.signin.aws.amazon.com/console` },
    ],
    miss: ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}', `sha = "${chars(HEX, 40)}"`],
  },
  'aws-bedrock-api-key': {
    hit: [`BEDROCK_KEY=ABSK${chars(B64, 130)}`],
    miss: ['BEDROCK_KEY=ABSK' + 'x'.repeat(130)],
  },
  'google-api-key': {
    hit: [`const key = "AIza${chars(URLSAFE, 35)}";`],
    miss: ['const key = "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";', `const key = "AIza${chars(URLSAFE, 20)}";`],
  },
  'gcp-oauth-client-secret': {
    hit: [`"client_secret": "GOCSPX-${chars(URLSAFE, 28)}"`],
    miss: ['"client_secret": "GOCSPX-<your-secret>"'],
  },
  'azure-storage-key': {
    hit: [`"Storage": "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${chars(B64, 86)}==;EndpointSuffix=core.windows.net"`],
    miss: [
      'UseDevelopmentStorage=true;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
      'AccountKey=<storage-account-key>',
    ],
  },
  'azure-sas-token': {
    hit: [`url = "https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig=${chars(ALNUM, 43)}%3D"`],
    miss: ['url = "https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&sp=r&sig=<signature>"'],
  },
  'azure-ad-client-secret': {
    hit: [`AZURE_CLIENT_SECRET=${chars(ALNUM, 3)}8Q~${chars(ALNUM, 34)}`],
    miss: ['AZURE_CLIENT_SECRET=abc8Q~'],
  },
  'alibaba-access-key-id': { hit: [`ALIBABA_KEY_ID=LTAI${chars(ALNUM, 20)}`], miss: ['ALIBABA_KEY_ID=LTAIxxxxxxxxxxxxxxxxxxxx'] },
  'alibaba-secret-key': { hit: [`alibaba_secret = "${chars(LOWER_ALNUM, 30)}"`], miss: [`secret = "${chars(LOWER_ALNUM, 30)}"`.replace('secret', 'digest'), 'alibaba_secret = "your-alibaba-secret-here-xxxxx"'] },
  'digitalocean-access-token': { hit: [`DO_TOKEN=dop_v1_${chars(HEX, 64)}`], miss: [`DO_TOKEN=dop_v1_${chars(HEX, 20)}`] },
  'heroku-api-key': { hit: [`HEROKU_API_KEY=${uuid()}`], miss: [`REQUEST_ID=${uuid()}`] },
  'heroku-api-key-v2': { hit: [`HEROKU_API_KEY=HRKU-AA${chars(URLSAFE, 58)}`], miss: ['HEROKU_API_KEY=HRKU-AA'] },
  'yandex-api-key': { hit: [`yandex_api_key: AQVN${chars(URLSAFE, 36)}`], miss: [`api_key: AQVN${chars(URLSAFE, 36)}`.replace('api_key', 'build_id')] },
  'yandex-aws-access-token': { hit: [`yandex_static_key = "YC${chars(URLSAFE, 38)}"`], miss: ['yandex_static_key = "YC' + 'x'.repeat(38) + '"'] },
  'yandex-access-token': { hit: [`yandex_oauth = "t1.${chars(ALNUM, 40)}.${chars(URLSAFE, 86)}"`], miss: ['yandex_oauth = "t1.abc.def"'] },
  'cloudflare-api-key': { hit: [`CLOUDFLARE_API_TOKEN=${chars(URLSAFE, 40)}`], miss: ['CLOUDFLARE_API_TOKEN=${{ secrets.CLOUDFLARE_API_TOKEN }}'] },
  'cloudflare-global-api-key': { hit: [`cloudflare_global_key = "${chars(HEX, 37)}"`], miss: [`cloudflare_zone = "${chars(HEX, 32)}"`] },
  'cloudflare-origin-ca-key': { hit: [`origin_ca_key = "v1.0-${chars(HEX, 24)}-${chars(HEX, 146)}"`], miss: ['version = "v1.0-beta"'] },
  'flyio-access-token': { hit: [`FLY_API_TOKEN=fo1_${chars(URLSAFE, 43)}`], miss: ['FLY_API_TOKEN=fo1_'] },
  'vault-service-token': { hit: [`VAULT_TOKEN=hvs.${chars(URLSAFE, 95)}`], miss: ['VAULT_TOKEN=hvs.example'] },
  'hashicorp-tf-api-token': { hit: [`token = "${chars(ALNUM, 14)}.atlasv1.${chars(URLSAFE, 65)}"`], miss: ['token = "abc.atlasv1.def"'] },
  'doppler-api-token': { hit: [`DOPPLER_TOKEN=dp.st.${chars(ALNUM, 43)}`], miss: ['DOPPLER_TOKEN=dp.st.dev'] },
  'pulumi-api-token': { hit: [`PULUMI_ACCESS_TOKEN=pul-${chars(HEX, 40)}`], miss: ['PULUMI_ACCESS_TOKEN=pul-' + '0'.repeat(40)] },
  'scalingo-api-token': { hit: [`SCALINGO_API_TOKEN=tk-us-${chars(URLSAFE, 48)}`], miss: ['SCALINGO_API_TOKEN=tk-us-'] },
  'openshift-user-token': { hit: [`oc login --token=sha256~${chars(URLSAFE, 43)}`], miss: [`digest: sha256:${chars(HEX, 64)}`] },
  'netlify-access-token': { hit: [`NETLIFY_AUTH_TOKEN=${chars(URLSAFE, 43)}`], miss: ['NETLIFY_AUTH_TOKEN=$NETLIFY_TOKEN'] },
  'vercel-token': { hit: [`VERCEL_TOKEN=vcp_${chars(ALNUM, 56)}`], miss: ['VERCEL_TOKEN=vcp_'] },
  'databricks-api-token': { hit: [`DATABRICKS_TOKEN=dapi${chars(HEX, 32)}`], miss: ['DATABRICKS_TOKEN=dapi' + 'x'.repeat(32)] },
  'clickhouse-cloud-api-secret-key': { hit: [`CH_SECRET=4b1d${chars(ALNUM, 38)}`], miss: [`CH_SECRET=4b1d${chars(ALNUM, 10)}`] },
  'planetscale-token': { hit: [`PLANETSCALE_TOKEN=pscale_tkn_${chars(URLSAFE, 43)}`], miss: ['PLANETSCALE_TOKEN=pscale_tkn_'] },
  'infracost-api-token': { hit: [`INFRACOST_API_KEY=ico-${chars(ALNUM, 32)}`], miss: ['INFRACOST_API_KEY=ico-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'] },
  'defined-networking-api-token': { hit: [`DN_KEY=dnkey-${chars(URLSAFE, 26)}-${chars(URLSAFE, 52)}`], miss: ['DN_KEY=dnkey-'] },
  'harness-api-key': { hit: [`HARNESS_KEY=pat.${chars(URLSAFE, 22)}.${chars(ALNUM, 24)}.${chars(ALNUM, 20)}`], miss: ['const p = pat.name.trim();'] },
  'octopus-deploy-api-key': { hit: [`OCTOPUS_API_KEY=API-${chars('A-Z0-9', 26)}`], miss: ['header: X-API-KEY'] },
  'kubernetes-secret-value': {
    hit: [{ path: 'k8s/secret.yaml', text: `kind: Secret\ndata:\n  DB_PASSWORD: ${Buffer.from('p' + chars(ALNUM, 15)).toString('base64')}` }],
    miss: [
      { path: 'k8s/secret.yaml', text: `kind: Secret\ndata:\n  DB_PASSWORD: ${Buffer.from('changeme').toString('base64')}` },
      { path: 'k8s/webhook.yaml', text: `  caBundle: ${chars(B64, 64)}` },
    ],
  },
  'key-store-file': {
    hit: [{ file: { path: 'android/release.jks', status: 'added', binary: true, hunks: [], added: 0, removed: 0 } }],
    miss: [{ file: { path: 'keys/release.p12', oldPath: 'release.p12', status: 'renamed', similarity: 100, binary: true, hunks: [], added: 0, removed: 0 } }],
  },
};
