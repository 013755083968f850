// Software-as-a-service APIs: commerce, productivity, observability, social networks, identity.
import type { LineRule } from '../types.js';
import { named, token, UUID } from './build.js';

const COMMERCE = 'Commerce and productivity';
const OBSERVABILITY = 'Observability and identity';
const SOCIAL = 'Social and media';

/** The family's rules, built when the table is (secrets.ts). */
export const saasRules = (): LineRule[] => [
  // commerce and productivity
  token({ id: 'shopify-token', title: 'Shopify access token or shared secret', issuer: 'the Shopify admin (Apps → Develop apps)', family: COMMERCE, pattern: 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], minEntropy: 2 }),
  named({ id: 'squarespace-access-token', title: 'Squarespace API key', issuer: 'Squarespace (Settings → Advanced → Developer API keys)', family: COMMERCE, names: 'squarespace', value: UUID, keywords: ['squarespace'] }),
  token({ id: 'airtable-personal-access-token', title: 'Airtable personal access token', issuer: 'Airtable (Developer hub → Personal access tokens)', family: COMMERCE, pattern: 'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}', keywords: ['pat'], minEntropy: 3 }),
  named({ id: 'airtable-api-key', title: 'Airtable API key (legacy)', issuer: 'Airtable (Account)', family: COMMERCE, names: 'airtable', value: '[a-z0-9]{17}', keywords: ['airtable'] }),
  named({ id: 'asana-client-id', title: 'Asana client id', issuer: 'the Asana developer console', family: COMMERCE, severity: 'low', names: 'asana', value: '[0-9]{16}', keywords: ['asana'], minEntropy: 2.5 }),
  named({ id: 'asana-client-secret', title: 'Asana client secret', issuer: 'the Asana developer console', family: COMMERCE, names: 'asana', value: '[a-z0-9]{32}', keywords: ['asana'] }),
  token({ id: 'linear-api-key', title: 'Linear API key', issuer: 'Linear (Settings → API)', family: COMMERCE, pattern: 'lin_api_[A-Za-z0-9]{40}', keywords: ['lin_api_'], minEntropy: 2 }),
  named({ id: 'linear-client-secret', title: 'Linear OAuth client secret', issuer: 'Linear (Settings → API → OAuth applications)', family: COMMERCE, names: 'linear', value: '[a-f0-9]{32}', keywords: ['linear'] }),
  token({ id: 'notion-api-token', title: 'Notion integration token', issuer: 'Notion (My integrations)', family: COMMERCE, pattern: 'ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}', keywords: ['ntn_', 'secret_'], minEntropy: 4 }),
  token({ id: 'typeform-token', title: 'Typeform token', issuer: 'Typeform (Account → Personal tokens)', family: COMMERCE, pattern: 'tfp_[A-Za-z0-9._=-]{59}', keywords: ['tfp_'], minEntropy: 3 }),
  named({ id: 'dropbox-api-token', title: 'Dropbox API secret', issuer: 'the Dropbox App Console', family: COMMERCE, names: 'dropbox', value: '[a-z0-9]{15}', keywords: ['dropbox'] }),
  named({ id: 'dropbox-long-lived-api-token', title: 'Dropbox long-lived token', issuer: 'the Dropbox App Console', family: COMMERCE, names: 'dropbox', value: '[a-z0-9]{11}AAAAAAAAAA[a-z0-9_=-]{43}', keywords: ['dropbox'], judged: (v) => v.replace('AAAAAAAAAA', '') }),
  named({ id: 'dropbox-short-lived-api-token', title: 'Dropbox short-lived token', issuer: 'the Dropbox App Console', family: COMMERCE, names: 'dropbox', value: 'sl\\.[a-z0-9_=-]{135,1000}', keywords: ['dropbox'] }),
  named({ id: 'contentful-delivery-api-token', title: 'Contentful API token', issuer: 'Contentful (Settings → API keys)', family: COMMERCE, names: 'contentful', value: '[a-z0-9=_-]{43}', keywords: ['contentful'] }),
  named({ id: 'algolia-api-key', title: 'Algolia API key', issuer: 'the Algolia dashboard (API keys)', family: COMMERCE, severity: 'medium', names: 'algolia', value: '[a-z0-9]{32}', keywords: ['algolia'], limits: 'whether it is an admin key or a public search-only key: reported at medium' }),
  named({ id: 'adobe-client-id', title: 'Adobe client id', issuer: 'the Adobe developer console', family: COMMERCE, severity: 'low', names: 'adobe', value: '[a-f0-9]{32}', keywords: ['adobe'] }),
  token({ id: 'adobe-client-secret', title: 'Adobe client secret', issuer: 'the Adobe developer console', family: COMMERCE, pattern: 'p8e-[A-Za-z0-9]{32}', keywords: ['p8e-'], minEntropy: 2 }),
  named({ id: 'adafruit-api-key', title: 'Adafruit IO key', issuer: 'Adafruit IO (My Key: regenerate)', family: COMMERCE, names: 'adafruit', value: '[a-z0-9_-]{32}', keywords: ['adafruit'] }),
  named({ id: 'beamer-api-token', title: 'Beamer API key', issuer: 'the Beamer dashboard', family: COMMERCE, names: 'beamer', value: 'b_[a-z0-9=_-]{44}', keywords: ['beamer'] }),
  token({ id: 'frameio-api-token', title: 'Frame.io token', issuer: 'the Frame.io developer site', family: COMMERCE, pattern: 'fio-u-[A-Za-z0-9_=-]{64}', keywords: ['fio-u-'] }),
  named({ id: 'freshbooks-access-token', title: 'FreshBooks token', issuer: 'the FreshBooks developer page', family: COMMERCE, names: 'freshbooks', value: '[a-z0-9]{64}', keywords: ['freshbooks'] }),
  named({ id: 'rapidapi-access-token', title: 'RapidAPI key', issuer: 'RapidAPI (Apps → Security)', family: COMMERCE, names: 'rapidapi', value: '[a-z0-9_-]{50}', keywords: ['rapidapi'] }),
  token({ id: 'supabase-service-key', title: 'Supabase access token or secret key', issuer: 'the Supabase dashboard (Project settings → API keys)', family: COMMERCE, pattern: 'sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,100}', keywords: ['sbp_', 'sb_secret_'], minEntropy: 3 }),
  token({ id: 'posthog-personal-api-key', title: 'PostHog personal API key', issuer: 'PostHog (Settings → Personal API keys)', family: COMMERCE, pattern: 'phx_[A-Za-z0-9]{43}', keywords: ['phx_'], minEntropy: 3.5 }),
  token({ id: 'mapbox-secret-token', title: 'Mapbox secret token', issuer: 'Mapbox (Account → Tokens)', family: COMMERCE, pattern: 'sk\\.eyJ[A-Za-z0-9_-]{50,300}\\.[A-Za-z0-9_-]{22}', keywords: ['sk.eyj'], minEntropy: 3.5, limits: 'public tokens (pk.…), which browsers are meant to see' }),
  // observability and identity
  token({ id: '1password-secret-key', title: '1Password secret key', issuer: '1Password (regenerate the Secret Key)', family: OBSERVABILITY, pattern: 'A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}', keywords: ['a3-'], minEntropy: 3.8 }),
  token({ id: '1password-service-account-token', title: '1Password service account token', issuer: '1Password (Developer → Service accounts)', family: OBSERVABILITY, pattern: 'ops_eyJ[a-zA-Z0-9+/]{250,4000}={0,3}', keywords: ['ops_eyj'], minEntropy: 4 }),
  token({ id: 'authress-service-client-access-key', title: 'Authress access key', issuer: 'the Authress management portal', family: OBSERVABILITY, pattern: '(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\\.[a-z0-9]{4,6}\\.acc[_-][a-z0-9-]{10,32}\\.[a-z0-9+/_=-]{30,120}', keywords: ['sc_', 'ext_', 'scauth_', 'authress_'], minEntropy: 2 }),
  named({ id: 'okta-access-token', title: 'Okta API token', issuer: 'the Okta admin console (Security → API → Tokens)', family: OBSERVABILITY, names: 'okta', value: '00[\\w=-]{40}', keywords: ['okta'], minEntropy: 4 }),
  named({ id: 'datadog-access-token', title: 'Datadog API or application key', issuer: 'Datadog (Organization settings → API keys)', family: OBSERVABILITY, names: 'datadog|dd[_-](?:api|app)', value: '[a-z0-9]{40}|[a-f0-9]{32}', keywords: ['datadog', 'dd_api', 'dd_app', 'dd-api', 'dd-app'] }),
  token({ id: 'dynatrace-api-token', title: 'Dynatrace API token', issuer: 'Dynatrace (Access tokens)', family: OBSERVABILITY, pattern: 'dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}', keywords: ['dt0c01.'], minEntropy: 4 }),
  token({ id: 'grafana-api-key', title: 'Grafana API key or token', issuer: 'Grafana (Administration → Service accounts / API keys)', family: OBSERVABILITY, pattern: 'eyJrIjoi[A-Za-z0-9]{70,400}={0,3}|glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}', keywords: ['eyjrijoi', 'glc_', 'glsa_'], minEntropy: 3 }),
  named({ id: 'launchdarkly-access-token', title: 'LaunchDarkly access token', issuer: 'LaunchDarkly (Account settings → Authorization)', family: OBSERVABILITY, names: 'launchdarkly', value: '[a-z0-9=_-]{40}', keywords: ['launchdarkly'] }),
  token({ id: 'new-relic-user-api-key', title: 'New Relic API key', issuer: 'New Relic (API keys)', family: OBSERVABILITY, pattern: 'NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9-]{32}|[a-f0-9]{36}NRAL', keywords: ['nrak-', 'nrii-', 'nral'], minEntropy: 3 }),
  token({ id: 'new-relic-browser-api-token', title: 'New Relic browser key', issuer: 'New Relic (API keys)', family: OBSERVABILITY, severity: 'low', pattern: 'NRJS-[a-f0-9]{19}', keywords: ['nrjs-'], limits: 'nothing more: browser keys ship to browsers, so low' }),
  named({ id: 'new-relic-user-api-id', title: 'New Relic account key', issuer: 'New Relic (API keys)', family: OBSERVABILITY, names: 'new[_-]?relic', value: '[a-z0-9]{64}', keywords: ['newrelic', 'new_relic', 'new-relic'] }),
  named({ id: 'sentry-access-token', title: 'Sentry auth token (legacy)', issuer: 'Sentry (User settings → Auth tokens)', family: OBSERVABILITY, names: 'sentry', value: '[a-f0-9]{64}', keywords: ['sentry'], minEntropy: 3.5 }),
  token({ id: 'sentry-token', title: 'Sentry auth token', issuer: 'Sentry (Settings → Auth tokens)', family: OBSERVABILITY, pattern: 'sntrys_eyJpYXQiO[a-zA-Z0-9+/]{10,200}(?:LCJyZWdpb25fdXJs|InJlZ2lvbl91cmwi|cmVnaW9uX3VybCI6)[a-zA-Z0-9+/]{10,200}={0,2}_[a-zA-Z0-9+/]{43}|sntryu_[a-f0-9]{64}', keywords: ['sntrys_', 'sntryu_'], minEntropy: 3.5 }),
  named({ id: 'sumologic-access-id', title: 'Sumo Logic access id', issuer: 'Sumo Logic (Preferences → Access keys)', family: OBSERVABILITY, severity: 'low', names: 'sumo', value: 'su[a-z0-9]{12}', keywords: ['sumo'] }),
  named({ id: 'sumologic-access-token', title: 'Sumo Logic access key', issuer: 'Sumo Logic (Preferences → Access keys)', family: OBSERVABILITY, names: 'sumo', value: '[a-z0-9]{64}', keywords: ['sumo'] }),
  named({ id: 'confluent-access-token', title: 'Confluent API key', issuer: 'Confluent Cloud (API keys)', family: OBSERVABILITY, severity: 'low', names: 'confluent', value: '[a-z0-9]{16}', keywords: ['confluent'] }),
  named({ id: 'confluent-secret-key', title: 'Confluent API secret', issuer: 'Confluent Cloud (API keys)', family: OBSERVABILITY, names: 'confluent', value: '[a-z0-9]{64}', keywords: ['confluent'] }),
  token({ id: 'maxmind-license-key', title: 'MaxMind license key', issuer: 'MaxMind (Account → License keys)', family: OBSERVABILITY, pattern: '[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk', keywords: ['_mmk'], minEntropy: 4 }),
  named({ id: 'looker-client-id', title: 'Looker client id', issuer: 'Looker (Admin → Users → API keys)', family: OBSERVABILITY, severity: 'low', names: 'looker', value: '[a-z0-9]{20}', keywords: ['looker'] }),
  named({ id: 'looker-client-secret', title: 'Looker client secret', issuer: 'Looker (Admin → Users → API keys)', family: OBSERVABILITY, names: 'looker', value: '[a-z0-9]{24}', keywords: ['looker'] }),
  named({ id: 'nytimes-access-token', title: 'New York Times API key', issuer: 'the NYT developer portal', family: OBSERVABILITY, names: 'nytimes|new[_-]?york[_-]?times', value: '[a-z0-9=_-]{32}', keywords: ['nytimes', 'newyorktimes', 'new-york-times', 'new_york_times'] }),
  named({ id: 'cisco-meraki-api-key', title: 'Cisco Meraki API key', issuer: 'the Meraki dashboard (My profile → API access)', family: OBSERVABILITY, names: 'meraki', value: '[0-9a-f]{40}', keywords: ['meraki'] }),
  named({ id: 'hubspot-api-key', title: 'HubSpot API key', issuer: 'HubSpot (Settings → Integrations → API key)', family: COMMERCE, names: 'hubspot', value: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', keywords: ['hubspot'] }),
  token({ id: 'intra42-client-secret', title: '42 Intra client secret', issuer: 'the 42 Intra applications page', family: OBSERVABILITY, pattern: 's-s4t2(?:ud|af)-[a-f0-9]{64}', keywords: ['s-s4t2ud-', 's-s4t2af-'], minEntropy: 3 }),
  named({ id: 'fastly-api-token', title: 'Fastly API token', issuer: 'Fastly (Account → API tokens)', family: OBSERVABILITY, names: 'fastly', value: '[a-z0-9=_-]{32}', keywords: ['fastly'] }),
  // social and media
  named({ id: 'twitter-api-key', title: 'Twitter / X API key', issuer: 'the X developer portal', family: SOCIAL, names: 'twitter', value: '[a-z0-9]{25}', keywords: ['twitter'] }),
  named({ id: 'twitter-api-secret', title: 'Twitter / X API secret', issuer: 'the X developer portal', family: SOCIAL, names: 'twitter', value: '[a-z0-9]{50}', keywords: ['twitter'] }),
  named({ id: 'twitter-access-secret', title: 'Twitter / X access token secret', issuer: 'the X developer portal', family: SOCIAL, names: 'twitter', value: '[a-z0-9]{45}', keywords: ['twitter'] }),
  named({ id: 'twitter-access-token', title: 'Twitter / X access token', issuer: 'the X developer portal', family: SOCIAL, names: 'twitter', value: '[0-9]{15,25}-[a-z0-9]{20,40}', keywords: ['twitter'] }),
  // 22 'A's, then the key: the secret is the part after them (the placeholder check would take the run for a mask)
  token({ id: 'twitter-bearer-token', title: 'Twitter / X bearer token', issuer: 'the X developer portal', family: SOCIAL, pattern: 'A{22}([a-zA-Z0-9%]{80,100})', secretGroup: 1, keywords: ['aaaaaaaaaaaaaaaaaaaaaa'], minEntropy: 4 }),
  token({ id: 'facebook-page-access-token', title: 'Facebook access token', issuer: 'Meta for Developers (the app dashboard)', family: SOCIAL, pattern: 'EAA[MC][A-Za-z0-9]{100,1000}', keywords: ['eaam', 'eaac'], minEntropy: 4 }),
  named({ id: 'facebook-access-token', title: 'Facebook app access token', issuer: 'Meta for Developers (the app dashboard)', family: SOCIAL, names: 'facebook|fb[_-]', value: '[0-9]{15,16}(?:\\||%7C)[0-9a-z_-]{27,40}', keywords: ['facebook', 'fb_', 'fb-'] }),
  named({ id: 'facebook-secret', title: 'Facebook app secret', issuer: 'Meta for Developers (the app dashboard)', family: SOCIAL, names: 'facebook|fb[_-]', value: '[a-f0-9]{32}', keywords: ['facebook', 'fb_', 'fb-'] }),
  named({ id: 'linkedin-client-id', title: 'LinkedIn client id', issuer: 'the LinkedIn developer portal', family: SOCIAL, severity: 'low', names: 'linked[_-]?in', value: '[a-z0-9]{14}', keywords: ['linkedin', 'linked_in', 'linked-in'] }),
  named({ id: 'linkedin-client-secret', title: 'LinkedIn client secret', issuer: 'the LinkedIn developer portal', family: SOCIAL, names: 'linked[_-]?in', value: '[a-z0-9]{16}', keywords: ['linkedin', 'linked_in', 'linked-in'] }),
  named({ id: 'twitch-api-token', title: 'Twitch API token', issuer: 'the Twitch developer console', family: SOCIAL, names: 'twitch', value: '[a-z0-9]{30}', keywords: ['twitch'] }),
  named({ id: 'etsy-access-token', title: 'Etsy API key', issuer: 'Etsy (Your apps)', family: SOCIAL, names: 'etsy', value: '[a-z0-9]{24}', keywords: ['etsy'] }),
  named({ id: 'flickr-access-token', title: 'Flickr API key', issuer: 'Flickr (App Garden)', family: SOCIAL, names: 'flickr', value: '[a-z0-9]{32}', keywords: ['flickr'] }),
  named({ id: 'finnhub-access-token', title: 'Finnhub API key', issuer: 'the Finnhub dashboard', family: SOCIAL, names: 'finnhub', value: '[a-z0-9]{20}', keywords: ['finnhub'] }),
];
