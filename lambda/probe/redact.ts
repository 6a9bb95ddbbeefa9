/**
 * Redaction of secrets from anything the probe reports. Applied to every message before it is
 * truncated, so a secret cut in half by truncation can never leak its first half.
 *
 * It keys on values known to be secret (the token, header values, query values, session ids)
 * and on credential syntax (an `Authorization` scheme followed by a token, `key=value` pairs
 * named like secrets, JWTs, AWS keys), not on English words: "Basic Vanillajs App Server",
 * `Bearer error="invalid_token"` and `HPE_INVALID_HEADER_TOKEN: Parse Error` stay readable.
 */

const REDACTED = '[REDACTED]';

/** Auth-params of a `WWW-Authenticate` challenge (RFC 6750, RFC 9728): names, not tokens. */
const AUTH_PARAMS = 'realm|error|error_description|error_uri|scope|resource_metadata|charset|algorithm|nonce';

/** A token rather than a word: it has a digit, a token symbol or a capital after its first letter, or is long. */
function looksLikeToken(text: string): boolean {
  return /[0-9\-._~+/=%]/.test(text) || /.[A-Z]/.test(text) || text.length >= 20;
}

/** `Basic` credentials: base64 of `user:password`. */
function isBasicCredential(text: string): boolean {
  if (text.length < 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  const decoded = Buffer.from(text, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
}

/**
 * Patterns of secrets recognised without being told about them. Each keeps a harmless prefix
 * (the scheme, the ARN's partition and service) so the message stays actionable.
 */
export type Replacement = string | ((match: string, ...groups: string[]) => string);

export const PATTERNS: ReadonlyArray<readonly [RegExp, Replacement]> = [
  // The value of an Authorization header, whatever the scheme and however the token looks.
  [/((?<![A-Za-z0-9_-])authorization["']?\s*[:=]\s*["']?[A-Za-z][A-Za-z0-9-]*(?:\s+|%20))(?!(?:realm|error|scope)\s*=)[^\s"',;]+/gi, `$1${REDACTED}`],
  // Authorization schemes: `Bearer <token>` (not `Bearer error="..."`), `Basic <user:password>`,
  // AWS SigV4 credentials/signatures.
  [new RegExp(`\\b([Bb]earer|BEARER)(\\s+|%20)(?!(?:${AUTH_PARAMS})\\s*=)([A-Za-z0-9\\-._~+/%]+=*)`, 'g'), (match, scheme: string, _sep: string, token: string) =>
    (looksLikeToken(token) ? `${scheme} ${REDACTED}` : match)],
  [/\bBasic(\s+|%20)([A-Za-z0-9+/]+={0,2})(?![A-Za-z0-9+/=])/g, (match, _sep: string, token: string) => (isBasicCredential(token) ? `Basic ${REDACTED}` : match)],
  [/\b(Credential|Signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=[^\s,&"';]+/gi, `$1=${REDACTED}`],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // ARNs: keep partition and service, hide region, account and resource.
  [/\barn:(aws[a-z-]*):([a-z0-9-]+):[^\s"'`,;)\]}>]*/gi, `arn:$1:$2:${REDACTED}`],
  // AWS access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes).
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b/g, REDACTED],
  // key=value and "key": "value" pairs whose name says secret (not error names such as
  // ExpiredToken or HPE_INVALID_HEADER_TOKEN). A bare `key: value` in prose ("token: Parse
  // Error") needs a value that looks like a credential.
  [
    /((?<![A-Za-z0-9_])(?:secret|password|passwd|token|api[_-]?key|access[_-]?key|session[_-]?id|mcp-session-id|authorization|x-api-key|cookie)(["']?)\s*([:=])\s*(["']?))([^\s"',;&}]+)/gi,
    (match, prefix: string, keyQuote: string, sep: string, valueQuote: string, value: string) =>
      (sep === '=' || keyQuote || valueQuote || looksLikeToken(value) ? `${prefix}${REDACTED}` : match),
  ],
  // AWS secret access keys and session tokens: long base64 runs.
  [/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, REDACTED],
  [/[A-Za-z0-9/+]{80,}={0,2}/g, REDACTED],
  // AWS account ids: exactly twelve digits.
  [/(?<![0-9])[0-9]{12}(?![0-9])/g, '[ACCOUNT]'],
];

/**
 * Keywords and prefixes every match of a keyed pattern above contains (case-insensitively):
 * `authorization`, `bearer`, `arn:`, `AKIA`, the secret-named keys, ...
 */
const CREDENTIAL_KEYWORD = new RegExp([
  'authorization', 'bearer', 'basic', 'credential', 'signature', 'x-amz-', 'eyJ', 'arn:',
  'AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA', 'ABIA', 'ACCA',
  'secret', 'passw', 'token', 'api[_-]?key', 'access[_-]?key', 'session[_-]?id', 'cookie',
].join('|'), 'i');

/** Whether a text has twelve digits in a row or a run of 40 characters of `[A-Za-z0-9/+]` (one linear scan). */
function hasLongRun(text: string): boolean {
  let run = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    digits = digit ? digits + 1 : 0;
    run = digit || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 47 || c === 43 ? run + 1 : 0;
    if (digits >= 12 || run >= 40) return true;
  }
  return false;
}

/**
 * Whether a pattern above could match: every match contains a {@link CREDENTIAL_KEYWORD}, twelve
 * digits (account ids) or a 40-character base64 run (secret keys, tokens). A superset test: it
 * decides whether the patterns run, never what they catch.
 */
export function mayHoldCredential(text: string): boolean {
  return CREDENTIAL_KEYWORD.test(text) || hasLongRun(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes secrets from a text: every occurrence of each given secret (bearer tokens, session ids,
 * credentials; secrets shorter than 4 characters are ignored as too ambiguous), then anything
 * that looks like a bearer token, a JWT, an AWS access key id, secret key or session token, an
 * ARN (partition and service are kept), or a 12-digit account id.
 *
 * @param text the text to clean
 * @param secrets known secret values to remove wherever they occur
 * @returns the text with every secret replaced by `[REDACTED]` (account ids by `[ACCOUNT]`)
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = String(text);
  const known = secrets.filter((s) => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  // Replacing can join text around a secret into a new occurrence; repeat until stable (bounded).
  for (let round = 0; round < 8 && known.length > 0; round++) {
    let changed = false;
    for (const secret of known) {
      if (out.includes(secret)) {
        out = out.replace(new RegExp(escapeRegExp(secret), 'g'), REDACTED);
        changed = true;
      }
    }
    if (!changed) break;
  }
  if (!mayHoldCredential(out)) return out;
  for (const [pattern, replacement] of PATTERNS) {
    out = out.replace(pattern, replacement as (match: string, ...groups: string[]) => string);
  }
  return out;
}

/**
 * Redacts many short texts (tool names) in one pass over their joined text: the patterns stop
 * at line breaks, so joining on `\n` keeps every text apart. Texts with a line break of their
 * own are redacted one by one.
 */
export function redactAll(texts: readonly string[], secrets: readonly string[] = []): string[] {
  const joinable = texts.every((t) => !/[\r\n]/.test(t));
  if (!joinable) return texts.map((t) => redact(t, secrets));
  if (texts.length === 0) return [];
  return redact(texts.join('\n'), secrets).split('\n');
}

/**
 * A URL for a message: scheme, host and path, never credentials or query values (either may be
 * a secret). Text that is not a URL is shown cut before anything that could be one.
 */
export function describeUrl(text: string): string {
  try {
    const url = new URL(text);
    const credentials = url.username || url.password ? '[CREDENTIALS]@' : '';
    return JSON.stringify(`${url.protocol}//${credentials}${url.host}${url.pathname}${url.search ? '?…' : ''}`);
  } catch {
    const shown = text.replace(/^([^@/?#]*:\/\/)?[^@/?#]*@/, '$1[CREDENTIALS]@').replace(/[?#].*$/s, '?…');
    return JSON.stringify(redact(shown.slice(0, 80)));
  }
}

/**
 * Makes one human line: redacts first, then collapses whitespace and truncates to `maxLength`.
 *
 * @param text the raw message
 * @param secrets known secret values to remove
 * @param maxLength the longest line returned
 */
export function oneLine(text: string, secrets: readonly string[] = [], maxLength = 400): string {
  // Redaction reads far more than is kept (a huge server message costs no more than this).
  const clean = redact(String(text).slice(0, 40 * maxLength), secrets).replace(/\s+/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

/**
 * Makes server-controlled text safe for a terminal: control characters (ESC, CR, LF, BEL, DEL,
 * the C1 range) and the Unicode line and bidirectional controls are shown as escapes, so no
 * server can forge a "PASS" line or send a terminal escape sequence.
 */
export function escapeControls(text: string): string {
  return String(text).replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
