// Messaging, chat and email services: Slack, Discord, Telegram, Microsoft Teams, Twilio, SendGrid, Mailgun…
import type { LineRule } from '../types.js';
import { isPlaceholder, shannonEntropy } from '../value.js';
import { ASSIGN, named, token, UUID } from './build.js';

const FAMILY = 'Messaging and email';

/** The family's rules, built when the table is (secrets.ts). */
export const messagingRules = (): LineRule[] => [
  token({
    id: 'slack-token',
    title: 'Slack token',
    issuer: 'the Slack app settings (OAuth & Permissions: revoke)',
    hint: 'Revoke the token in the Slack app settings and load it from the environment.',
    family: FAMILY,
    // bot, user, workspace, legacy, refresh and configuration tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxo-, xoxs-, xoxe-
    pattern: 'xox[abposre](?:\\.xox[bp])?-[0-9]{1,20}-[0-9A-Za-z-]{10,250}',
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxr-', 'xoxo-', 'xoxs-', 'xoxe-', 'xoxe.'],
    minEntropy: 3,
    limits: "Slack's documentation samples (`xoxb-your-token`, no numeric team id)",
  }),
  token({ id: 'slack-app-token', title: 'Slack app-level token', issuer: 'the Slack app settings (Basic Information → App-Level Tokens)', family: FAMILY, pattern: 'xapp-\\d-[A-Z0-9]{6,20}-\\d{6,20}-[a-z0-9]{32,100}', ignoreCase: true, keywords: ['xapp-'], minEntropy: 3 }),
  token({
    id: 'slack-webhook',
    anchored: false,
    title: 'Slack webhook URL',
    issuer: 'the Slack app settings (Incoming Webhooks: regenerate)',
    hint: 'Anyone with this URL can post to the channel: regenerate the webhook and keep the URL in a secret store.',
    family: FAMILY,
    severity: 'high',
    pattern: 'hooks\\.slack\\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/]{20,100})',
    secretGroup: 1,
    keywords: ['hooks.slack.com'],
    minEntropy: 3,
  }),
  token({ id: 'microsoft-teams-webhook', anchored: false, title: 'Microsoft Teams webhook URL', issuer: 'the Teams channel connectors (remove and re-create the webhook)', family: FAMILY, severity: 'high', pattern: `https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/${UUID}@${UUID}/IncomingWebhook/[a-z0-9]{32}/${UUID}`, keywords: ['webhook.office.com'] }),
  token({ id: 'discord-webhook-url', anchored: false, title: 'Discord webhook URL', issuer: 'the Discord channel settings (Integrations → Webhooks: delete it)', family: FAMILY, severity: 'high', pattern: 'discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/([A-Za-z0-9_-]{60,70})', secretGroup: 1, keywords: ['discord'], minEntropy: 3.5 }),
  named({ id: 'discord-api-token', title: 'Discord API token', issuer: 'the Discord developer portal', family: FAMILY, names: 'discord', value: '[a-f0-9]{64}', keywords: ['discord'] }),
  named({ id: 'discord-client-id', title: 'Discord client id', issuer: 'the Discord developer portal', family: FAMILY, severity: 'low', names: 'discord', value: '[0-9]{18}', keywords: ['discord'], minEntropy: 2.5 }),
  named({ id: 'discord-client-secret', title: 'Discord client secret', issuer: 'the Discord developer portal', family: FAMILY, names: 'discord', value: '[a-z0-9=_-]{32}', keywords: ['discord'] }),
  token({
    id: 'telegram-bot-api-token',
    title: 'Telegram bot token',
    issuer: 'Telegram (@BotFather: /revoke)',
    family: FAMILY,
    severity: 'high',
    pattern: '[0-9]{8,10}:AA[0-9A-Za-z_-]{33}',
    keywords: [':aa'],
    minEntropy: 3.5,
  }),
  token({ id: 'twilio-api-key', title: 'Twilio API key SID', issuer: 'the Twilio console (API keys)', family: FAMILY, severity: 'medium', pattern: 'SK[0-9a-fA-F]{32}', keywords: ['sk'], minEntropy: 3, limits: 'nothing more: the SID names a key, its secret is elsewhere, hence medium' }),
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    severity: 'critical',
    category: 'security',
    family: FAMILY,
    hint: 'Rotate the auth token in the Twilio console (Account → API keys & tokens) and read it from TWILIO_AUTH_TOKEN.',
    limits: 'a token on a line that neither names Twilio nor follows the account SID (AC…)',
    // Named (`TWILIO_AUTH_TOKEN=…`), or right after the account SID: `Client("AC…", "…")`, `AC…:…` in a URL.
    pattern: () => new RegExp(
      // Case-sensitive (the SID's capital AC is what makes it rare), so the name is spelt out in both cases.
      // The boundaries are checked after the first letters, so most positions fail on one character.
      String.raw`(?:[Tt](?<![A-Za-z0-9][Tt])[Ww][Ii][Ll][Ii][Oo][\w.-]{0,20}?${ASSIGN}|A(?<![A-Za-z0-9_+/-]A)C[a-f0-9]{32}["']?[ \t]{0,4}[,:][ \t]{0,4}["']?)([a-f0-9]{32})(?![A-Za-z0-9])`,
    ),
    keywords: ['twilio', 'ac'],
    secretGroup: 1,
    verify: (v) => !isPlaceholder(v) && shannonEntropy(v) >= 3,
  },
  token({ id: 'sendgrid-api-token', title: 'SendGrid API key', issuer: 'SendGrid (Settings → API Keys)', family: FAMILY, pattern: 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', keywords: ['sg.'], minEntropy: 3.5 }),
  token({ id: 'sendinblue-api-token', title: 'Brevo (Sendinblue) API key', issuer: 'Brevo (SMTP & API → API keys)', family: FAMILY, pattern: 'x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}', keywords: ['xkeysib-', 'xsmtpsib-'], minEntropy: 3 }),
  named({ id: 'mailgun-private-api-token', title: 'Mailgun API key', issuer: 'Mailgun (API security)', family: FAMILY, names: 'mailgun', value: 'key-[a-f0-9]{32}', keywords: ['mailgun'] }),
  named({ id: 'mailgun-pub-key', title: 'Mailgun public validation key', issuer: 'Mailgun (API security)', family: FAMILY, severity: 'low', names: 'mailgun', value: 'pubkey-[a-f0-9]{32}', keywords: ['mailgun'] }),
  named({ id: 'mailgun-signing-key', title: 'Mailgun webhook signing key', issuer: 'Mailgun (Webhooks)', family: FAMILY, names: 'mailgun', value: '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}', keywords: ['mailgun'] }),
  token({ id: 'mailchimp-api-key', title: 'Mailchimp API key', issuer: 'Mailchimp (Account → Extras → API keys)', family: FAMILY, severity: 'high', pattern: '[a-f0-9]{32}-us[0-9]{1,2}', keywords: ['-us'], minEntropy: 3.2 }),
  named({ id: 'messagebird-api-token', title: 'MessageBird API key', issuer: 'the MessageBird dashboard', family: FAMILY, names: 'message[_-]?bird', value: '[a-z0-9]{25}', keywords: ['messagebird', 'message_bird', 'message-bird'] }),
  named({ id: 'messagebird-client-id', title: 'MessageBird client id', issuer: 'the MessageBird dashboard', family: FAMILY, severity: 'low', names: 'message[_-]?bird', value: UUID, keywords: ['messagebird', 'message_bird', 'message-bird'] }),
  named({ id: 'sendbird-access-token', title: 'Sendbird API token', issuer: 'the Sendbird dashboard', family: FAMILY, names: 'sendbird', value: '[a-f0-9]{40}', keywords: ['sendbird'] }),
  named({ id: 'sendbird-access-id', title: 'Sendbird application id', issuer: 'the Sendbird dashboard', family: FAMILY, severity: 'low', names: 'sendbird', value: UUID, keywords: ['sendbird'] }),
  named({ id: 'mattermost-access-token', title: 'Mattermost access token', issuer: 'Mattermost (Profile → Security → Personal access tokens)', family: FAMILY, names: 'mattermost', value: '[a-z0-9]{26}', keywords: ['mattermost'] }),
  named({ id: 'intercom-api-key', title: 'Intercom access token', issuer: 'the Intercom developer hub', family: FAMILY, names: 'intercom', value: '[a-z0-9=_-]{60}', keywords: ['intercom'] }),
  named({ id: 'zendesk-secret-key', title: 'Zendesk API token', issuer: 'Zendesk (Admin → Apps and integrations → APIs)', family: FAMILY, names: 'zendesk', value: '[a-z0-9]{40}', keywords: ['zendesk'] }),
];
