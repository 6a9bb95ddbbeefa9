/**
 * How the canary and the deploy gate authenticate one probe: the configured auth applied to the
 * probe's options, the secret read through a token cache. One function, so the gate signs and
 * sends secret headers exactly as the canary does, for the front door and for the origin alike.
 */
import type { BearerTokenCache } from './bearer-token';
import { signingOptions, type CanaryAuthConfig } from './config';
import type { ProbeOptions } from '../probe';

/** Probe options with their auth, and the secret values to redact from what is logged. */
export interface AuthenticatedOptions {
  readonly options: ProbeOptions;
  readonly secrets: string[];
}

/**
 * `options` with `auth` applied: a bearer token or a secret header read from its secret (through
 * `tokens`, cached five minutes), or SigV4/SigV4a signing with the function's role.
 *
 * @throws when the secret cannot be read or holds no usable value (a configuration error)
 */
export async function withAuth(options: ProbeOptions, auth: CanaryAuthConfig, tokens: BearerTokenCache): Promise<AuthenticatedOptions> {
  if (auth.mode === 'bearer-secret') {
    const token = await tokens.token(auth.secretArn, auth.jsonField);
    return { options: { ...options, bearerToken: token }, secrets: [token] };
  }
  if (auth.mode === 'header-secret') {
    // The same five-minute cache and checks as the bearer token (a bare value, no spaces).
    const value = await tokens.token(auth.secretArn, auth.jsonField);
    return { options: { ...options, headers: { ...options.headers, [auth.headerName]: value } }, secrets: [value] };
  }
  const sigv4 = signingOptions(auth);
  return { options: sigv4 ? { ...options, sigv4 } : options, secrets: [] };
}
