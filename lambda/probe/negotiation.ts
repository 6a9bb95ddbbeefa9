/**
 * Era negotiation: the handshakes of the three transports, tried in the order the options ask
 * (auto: modern `server/discover`, then legacy `initialize`, then the 2024-11-05 HTTP+SSE
 * transport), following the pure verdicts of ./era-verdict. The I/O side of the negotiation; the
 * driver it returns keeps the negotiated version.
 */
import { LEGACY_VERSIONS, MODERN_VERSION } from './classify';
import type { Connection } from './connection';
import { PROBE_CLIENT_INFO, SseDriver, StreamableDriver, type Driver } from './drivers';
import { discoverVerdict, endpointVerdict, forcedModernFailure, initializeVerdict } from './era-verdict';
import { forcedSseFailure, streamOpenFailure } from './rpc-outcome';
import type { Era, Failure, Transport } from './types';

/** A successful handshake. */
export interface Negotiated {
  /** The driver to speak through from now on. */
  readonly driver: Driver;
  readonly era: Era;
  readonly protocolVersion: string;
  /** The server's `serverInfo`, as sent (unchecked beyond being what the era requires). */
  readonly serverInfo: unknown;
  /** Whether the server declared the tools capability (modern: server/discover; legacy: always assumed). */
  readonly offersTools: boolean;
}

/**
 * Negotiates the era and handshakes.
 *
 * @param connection the run's connection
 * @param transport the transport the options ask for
 * @returns the negotiated driver, or the failure to report (before OAuth metadata is described)
 */
export async function negotiate(connection: Connection, transport: Transport): Promise<{ negotiated: Negotiated } | { failure: Failure }> {
  const auto = transport === 'auto';
  let reported: Failure | undefined;
  if (auto || transport === 'modern') {
    const modern = await modernHandshake(connection, auto);
    if ('negotiated' in modern) return modern;
    const failure = modern.failure;
    if (!auto) return { failure: forcedModernFailure(failure) };
    if (!failure.fallback) return modern;
    reported = failure;
  }
  if (auto || transport === 'legacy') {
    const legacy = await legacyHandshake(connection, auto);
    if ('negotiated' in legacy) return legacy;
    const failure = legacy.failure;
    // A modern-only server refused the legacy attempt: what the modern handshake met is the news.
    if (failure.modernOnly && reported) return { failure: { ...reported, fallback: false } };
    if (!(auto && failure.fallback)) return legacy;
    reported = failure;
  }
  const sse = await sseHandshake(connection, auto);
  if ('negotiated' in sse) return sse;
  // A GET that did not open an event stream says little: report what the POST attempts said.
  return { failure: sse.failure.fallback && reported ? reported : sse.failure };
}

async function modernHandshake(connection: Connection, auto: boolean): Promise<{ negotiated: Negotiated } | { failure: Failure }> {
  const driver = new StreamableDriver(connection, 'modern');
  const first = discoverVerdict(await driver.rpc('server/discover', {}), auto, false);
  const verdict = first.kind === 'retry' ? discoverVerdict(await driver.rpc('server/discover', {}), auto, true) : first;
  if (verdict.kind === 'failure') return { failure: verdict.failure };
  return { negotiated: { driver, era: 'modern', protocolVersion: MODERN_VERSION, serverInfo: verdict.serverInfo, offersTools: verdict.offersTools } };
}

async function legacyHandshake(connection: Connection, auto: boolean): Promise<{ negotiated: Negotiated } | { failure: Failure }> {
  const driver = new StreamableDriver(connection, 'legacy');
  const initialized = await initialize(driver, LEGACY_VERSIONS[0], auto);
  if ('failure' in initialized) await driver.cleanup();
  return initialized;
}

async function sseHandshake(connection: Connection, auto: boolean): Promise<{ negotiated: Negotiated } | { failure: Failure }> {
  const target = connection.target;
  const opened = await connection.openEventStream({ method: 'GET', url: target, headers: { accept: 'text/event-stream' } });
  if (!('stream' in opened)) return { failure: auto ? streamOpenFailure(opened, auto) : forcedSseFailure(opened) };
  const endpoint = endpointVerdict(await opened.stream.next((event) => (event.event === 'endpoint' ? event.data.trim() : undefined)), target);
  if ('failure' in endpoint) {
    opened.stream.close();
    return { failure: endpoint.failure };
  }
  // The endpoint's query usually carries the session id: keep it out of every message.
  endpoint.url.searchParams.forEach((value) => connection.remember(value));
  const driver = new SseDriver(connection, opened.stream, endpoint.url);
  const initialized = await initialize(driver, '2024-11-05', false);
  if ('failure' in initialized) await driver.cleanup();
  return initialized;
}

async function initialize(driver: Driver, version: string, auto: boolean): Promise<{ negotiated: Negotiated } | { failure: Failure }> {
  const outcome = await driver.rpc('initialize', { protocolVersion: version, capabilities: {}, clientInfo: PROBE_CLIENT_INFO });
  const verdict = initializeVerdict(outcome, driver.era === 'sse' ? 'sse' : 'legacy', auto);
  if (verdict.kind === 'failure') return { failure: verdict.failure };
  driver.setProtocolVersion(verdict.protocolVersion);
  const initialized = await driver.notify('notifications/initialized');
  if (!initialized.ok) return { failure: initialized.failure };
  return { negotiated: { driver, era: driver.era, protocolVersion: verdict.protocolVersion, serverInfo: verdict.serverInfo, offersTools: true } };
}
