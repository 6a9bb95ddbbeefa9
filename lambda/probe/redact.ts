/**
 * Redaction of secrets from anything the probe reports. Applied to every message before it is
 * truncated, so a secret cut in half by truncation can never leak its first half.
 */

const REDACTED = '[REDACTED]';

/**
 * Patterns of secrets recognised without being told about them. Each keeps a harmless prefix
 * (the scheme, the ARN's partition and service) so the message stays actionable.
 */
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Authorization schemes: `Bearer <token>`, `Basic <token>`, AWS SigV4 credentials/signatures.
  [/\b([Bb]earer|BEARER|Basic)(\s+|%20)[A-Za-z0-9\-._~+/=%]+/g, `$1 ${REDACTED}`],
  [/\b(Credential|Signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=[^\s,&"';]+/gi, `$1=${REDACTED}`],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // ARNs: keep partition and service, hide region, account and resource.
  [/\barn:(aws[a-z-]*):([a-z0-9-]+):[^\s"'`,;)\]}>]*/gi, `arn:$1:$2:${REDACTED}`],
  // AWS access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes).
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b/g, REDACTED],
  // key=value and "key": "value" pairs whose name says secret (not error names such as ExpiredToken).
  [
    /((?<![A-Za-z])(?:secret|password|passwd|token|api[_-]?key|access[_-]?key|session[_-]?id|mcp-session-id|authorization|x-api-key|cookie)["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi,
    `$1${REDACTED}`,
  ],
  // AWS secret access keys and session tokens: long base64 runs.
  [/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, REDACTED],
  [/[A-Za-z0-9/+]{80,}={0,2}/g, REDACTED],
  // AWS account ids: exactly twelve digits.
  [/(?<![0-9])[0-9]{12}(?![0-9])/g, '[ACCOUNT]'],
];

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
  for (const [pattern, replacement] of PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  return out;
}

/**
 * Makes one human line: redacts first, then collapses whitespace and truncates to `maxLength`.
 *
 * @param text the raw message
 * @param secrets known secret values to remove
 * @param maxLength the longest line returned
 */
export function oneLine(text: string, secrets: readonly string[] = [], maxLength = 400): string {
  const clean = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
