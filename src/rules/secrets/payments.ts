// Payments, banking and crypto exchanges.
import type { LineRule } from '../types.js';
import { isPlaceholder } from '../value.js';
import { named, token, UUID } from './build.js';

const FAMILY = 'Payments and finance';

/** The family's rules, built when the table is (secrets.ts). */
export const paymentRules = (): LineRule[] => [
  token({
    id: 'stripe-live-key',
    title: 'Stripe live secret key',
    issuer: 'the Stripe dashboard (Developers → API keys: roll it)',
    hint: 'Roll the key in the Stripe dashboard; live keys belong in the deployment environment only.',
    family: FAMILY,
    pattern: '(?:sk|rk)_(?:live|prod)_[0-9A-Za-z]{20,247}',
    keywords: ['sk_live_', 'rk_live_', 'sk_prod_', 'rk_prod_'],
    minEntropy: 3,
    limits: 'publishable keys (pk_…), which are public by design',
  }),
  token({
    id: 'stripe-test-key',
    title: 'Stripe test-mode secret key',
    issuer: 'the Stripe dashboard (Developers → API keys, test mode)',
    family: FAMILY,
    severity: 'medium',
    pattern: '(?:sk|rk)_test_[0-9A-Za-z]{20,247}',
    keywords: ['sk_test_', 'rk_test_'],
    minEntropy: 3,
    limits: "the test keys Stripe's own documentation publishes; test mode moves no money, hence medium",
  }),
  token({ id: 'stripe-webhook-secret', title: 'Stripe webhook signing secret', issuer: 'the Stripe dashboard (Developers → Webhooks: roll the secret)', family: FAMILY, severity: 'high', pattern: 'whsec_[A-Za-z0-9+/=]{32,100}', keywords: ['whsec_'], minEntropy: 3.5 }),
  token({ id: 'square-access-token', title: 'Square access token', issuer: 'the Square developer dashboard', family: FAMILY, pattern: 'EAAA[\\w-]{22,60}|sq0atp-[\\w-]{22}', keywords: ['eaaa', 'sq0atp-'], minEntropy: 3.5 }),
  token({ id: 'square-oauth-secret', title: 'Square OAuth secret', issuer: 'the Square developer dashboard', family: FAMILY, pattern: 'sq0csp-[\\w-]{43}', keywords: ['sq0csp-'], minEntropy: 3.5 }),
  token({ id: 'braintree-access-token', title: 'Braintree / PayPal access token', issuer: 'the Braintree control panel', family: FAMILY, pattern: 'access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32}', keywords: ['access_token$'] }),
  named({ id: 'plaid-api-token', title: 'Plaid access token', issuer: 'the Plaid dashboard', family: FAMILY, names: 'plaid', value: `access-(?:sandbox|development|production)-${UUID}`, keywords: ['plaid'] }),
  named({ id: 'plaid-client-id', title: 'Plaid client id', issuer: 'the Plaid dashboard', family: FAMILY, severity: 'low', names: 'plaid', value: '[a-z0-9]{24}', keywords: ['plaid'], minEntropy: 3.5 }),
  named({ id: 'plaid-secret-key', title: 'Plaid secret', issuer: 'the Plaid dashboard', family: FAMILY, names: 'plaid', value: '[a-z0-9]{30}', keywords: ['plaid'], minEntropy: 3.5 }),
  token({ id: 'flutterwave-secret-key', title: 'Flutterwave secret or encryption key', issuer: 'the Flutterwave dashboard (Settings → API)', family: FAMILY, pattern: 'FLWSECK(?:_TEST)?-[a-h0-9]{32}-X|FLWSECK_TEST[a-h0-9]{12}', ignoreCase: true, keywords: ['flwseck'], minEntropy: 2 }),
  token({ id: 'flutterwave-public-key', title: 'Flutterwave public key', issuer: 'the Flutterwave dashboard', family: FAMILY, severity: 'low', pattern: 'FLWPUBK(?:_TEST)?-[a-h0-9]{32}-X', ignoreCase: true, keywords: ['flwpubk'], minEntropy: 2, limits: 'nothing: a public key is reported at low so that it is seen, never blocks' }),
  token({ id: 'shippo-api-token', title: 'Shippo API token', issuer: 'the Shippo dashboard', family: FAMILY, pattern: 'shippo_(?:live|test)_[a-fA-F0-9]{40}', keywords: ['shippo_'], minEntropy: 2 }),
  token({ id: 'easypost-api-token', title: 'EasyPost API key', issuer: 'the EasyPost dashboard', family: FAMILY, pattern: 'EZ[AT]K[A-Za-z0-9]{54}', keywords: ['ezak', 'eztk'], minEntropy: 3 }),
  named({ id: 'gocardless-api-token', title: 'GoCardless access token', issuer: 'the GoCardless dashboard', family: FAMILY, names: 'gocardless', value: 'live_[a-z0-9_=-]{40}', keywords: ['gocardless'] }),
  token({ id: 'duffel-api-token', title: 'Duffel access token', issuer: 'the Duffel dashboard', family: FAMILY, pattern: 'duffel_(?:test|live)_[A-Za-z0-9_=-]{43}', keywords: ['duffel_'], minEntropy: 3 }),
  named({ id: 'finicity-api-token', title: 'Finicity API token', issuer: 'the Finicity developer portal', family: FAMILY, names: 'finicity', value: '[a-f0-9]{32}', keywords: ['finicity'] }),
  named({ id: 'finicity-client-secret', title: 'Finicity client secret', issuer: 'the Finicity developer portal', family: FAMILY, names: 'finicity', value: '[a-z0-9]{20}', keywords: ['finicity'] }),
  named({ id: 'coinbase-access-token', title: 'Coinbase access token', issuer: 'Coinbase (Settings → API)', family: FAMILY, names: 'coinbase', value: '[a-z0-9_-]{64}', keywords: ['coinbase'] }),
  named({ id: 'kraken-access-token', title: 'Kraken API secret', issuer: 'Kraken (Settings → API)', family: FAMILY, names: 'kraken', value: '[a-z0-9/=_+-]{80,90}', keywords: ['kraken'] }),
  named({ id: 'kucoin-access-token', title: 'KuCoin API key', issuer: 'KuCoin (API management)', family: FAMILY, names: 'kucoin', value: '[a-f0-9]{24}', keywords: ['kucoin'] }),
  named({ id: 'kucoin-secret-key', title: 'KuCoin API secret', issuer: 'KuCoin (API management)', family: FAMILY, names: 'kucoin', value: UUID, keywords: ['kucoin'] }),
  named({ id: 'bittrex-access-key', title: 'Bittrex API key or secret', issuer: 'Bittrex (API keys)', family: FAMILY, names: 'bittrex', value: '[a-z0-9]{32}', keywords: ['bittrex'] }),
  named({ id: 'lob-api-key', title: 'Lob API key', issuer: 'the Lob dashboard', family: FAMILY, names: 'lob', value: '(?:live|test)_[a-f0-9]{35}', keywords: ['lob'] }),
  named({ id: 'lob-pub-api-key', title: 'Lob publishable key', issuer: 'the Lob dashboard', family: FAMILY, severity: 'low', names: 'lob', value: '(?:test|live)_pub_[a-f0-9]{31}', keywords: ['lob'] }),
  {
    id: 'freemius-secret-key',
    title: 'Freemius secret key',
    severity: 'critical',
    category: 'security',
    family: FAMILY,
    hint: 'Regenerate the key in the Freemius dashboard and load it from the environment.',
    limits: 'the key outside a PHP array under `secret_key`',
    pattern: () => /["']secret_key["']\s*=>\s*["'](sk_[^\s"']{29})["']/i,
    keywords: ['secret_key'],
    secretGroup: 1,
    fileFilter: (path) => /\.php$/i.test(path),
    verify: (v) => !isPlaceholder(v),
  },
];
