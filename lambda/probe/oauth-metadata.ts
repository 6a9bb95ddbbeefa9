/**
 * OAuth protected-resource metadata discovery (RFC 9728) after a 401: where the server says its
 * metadata is (the `resource_metadata` of its `WWW-Authenticate` challenge, else the well-known
 * paths), what it names (resource, authorization servers, scopes), added to the failure's
 * message. Same origin only, within the probe's deadline.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728
 */
import type { Connection } from './connection';
import { isJsonObject } from './json';
import type { Failure } from './types';

/** The slice of the connection discovery uses. */
export type MetadataLink = Pick<Connection, 'target' | 'fetchJson'> & { readonly http: { readonly lastChallenge: string | undefined } };

/**
 * An AUTH_REQUIRED failure with what OAuth protected-resource metadata the server publishes;
 * any other failure as is.
 *
 * @param failure the failure the probe met
 * @param link the run's connection (its last 401 challenge, the target, a GET)
 */
export async function describeAuth(failure: Failure, link: MetadataLink): Promise<Failure> {
  if (failure.failureClass !== 'AUTH_REQUIRED') return failure;
  const target = link.target;
  const challenge = link.http.lastChallenge ?? '';
  const advertised = /resource_metadata="?([^",\s]+)"?/i.exec(challenge)?.[1];
  const candidates: URL[] = [];
  let note = '';
  if (advertised) {
    let metadataUrl: URL | undefined;
    try {
      metadataUrl = new URL(advertised, target);
    } catch {
      note = '; the advertised metadata URL is not a valid URL';
    }
    if (metadataUrl && metadataUrl.origin === target.origin) candidates.push(metadataUrl);
    else if (metadataUrl) note = `; the metadata is on another origin (${metadataUrl.origin}) and was not fetched`;
  } else {
    const path = target.pathname === '/' ? '' : target.pathname.replace(/\/$/, '');
    if (path) candidates.push(new URL(`/.well-known/oauth-protected-resource${path}`, target.origin));
    candidates.push(new URL('/.well-known/oauth-protected-resource', target.origin));
  }
  const tried: string[] = [];
  for (const candidate of candidates) {
    const fetched = await link.fetchJson(candidate, { accept: 'application/json' });
    if ('value' in fetched && isJsonObject(fetched.value)) {
      note = `; OAuth protected-resource metadata found at ${candidate.pathname}: ${summary(fetched.value)}`;
      break;
    }
    tried.push(`${candidate.pathname} ${'status' in fetched ? `answered HTTP ${fetched.status}` : 'failure' in fetched ? `failed (${fetched.failure})` : 'is not a JSON object'}`);
  }
  if (tried.length === candidates.length && tried.length > 0) note = `; no metadata found (${tried.join('; ')})`;
  return { ...failure, message: `${failure.message}${note}` };
}

/** What a metadata document names: resource, authorization servers, scopes. */
function summary(metadata: Record<string, unknown>): string {
  const servers = Array.isArray(metadata.authorization_servers) ? metadata.authorization_servers.map(String) : [];
  const scopes = Array.isArray(metadata.scopes_supported) ? metadata.scopes_supported.map(String) : [];
  return `resource ${typeof metadata.resource === 'string' ? metadata.resource : '(not named)'}, `
    + `authorization servers ${servers.length ? servers.join(', ') : '(none listed)'}${scopes.length ? `, scopes ${scopes.join(' ')}` : ''}`;
}
