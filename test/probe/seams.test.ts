/**
 * The pure pieces the engine was cut into, driven without I/O: the era verdict, the option check
 * (worded by the caller), the SEP-2243 header codec, and the sequence's verdicts.
 */
import { parseCanaryConfig } from '../../lambda/canary/config';
import { parseArgs } from '../../lambda/cli/args';
import { discoverVerdict, endpointVerdict, eraVerdict, forcedModernFailure, initializeVerdict } from '../../lambda/probe/era-verdict';
import { checkProbeOptions, describeOptionProblem, validateProbeOptions } from '../../lambda/probe/options';
import { decodeHeaderValue, encodeHeaderValue, mcpHeaderParams, paramHeaderValues } from '../../lambda/probe/param-headers';
import type { RpcOutcome } from '../../lambda/probe/rpc-outcome';
import { checkToolList, sentinelVerdict } from '../../lambda/probe/verdicts';
import { CANARY_ENV } from '../../src/contract/canary-env';

const ok = (result: Record<string, unknown>): RpcOutcome => ({ ok: true, result, bytes: 10 });
const rpcError = (code: number, data?: unknown): RpcOutcome => ({
  ok: false,
  failure: { failureClass: 'PROTOCOL_ERROR', message: 'refused' },
  timedOut: false,
  rpcError: { code, message: 'refused', data },
});

describe('eraVerdict: what a JSON-RPC error to server/discover says about the era', () => {
  test.each([
    ['method not found', 'legacy', -32601, undefined],
    ['-32022 naming the modern version the probe speaks', 'retry', -32022, { supported: ['2026-07-28'] }],
    ['-32022 naming only legacy versions', 'legacy', -32022, { supported: ['2025-06-18', '2025-11-25'] }],
    ['-32022 naming a later modern version only', 'modern', -32022, { supported: ['2027-01-01'] }],
    ['-32022 naming nothing', 'legacy', -32022, {}],
    ['-32020 (a modern error)', 'modern', -32020, undefined],
    ['-32021 (a modern error)', 'modern', -32021, undefined],
  ])('%s: %s', (_name, verdict, code, data) => {
    expect(eraVerdict({ code: code as number, message: 'x', data })).toBe(verdict);
  });
});

describe('discoverVerdict', () => {
  test('a version the probe speaks is retried once, then reported as a version mismatch', () => {
    const refused = rpcError(-32022, { supported: ['2026-07-28'] });
    expect(discoverVerdict(refused, true, false)).toEqual({ kind: 'retry' });
    expect(discoverVerdict(refused, true, true)).toMatchObject({ kind: 'failure', failure: { failureClass: 'VERSION_MISMATCH' } });
  });

  test('a legacy answer falls back; a modern refusal does not', () => {
    expect(discoverVerdict(rpcError(-32601), true, false)).toMatchObject({ kind: 'failure', failure: { fallback: true } });
    const modern = discoverVerdict(rpcError(-32020), true, false);
    expect(modern).toMatchObject({ kind: 'failure', failure: { failureClass: 'PROTOCOL_ERROR', message: expect.stringMatching(/a modern server refused/) } });
    expect(modern.kind === 'failure' && modern.failure.fallback).toBeFalsy();
  });

  test('a result is modern only with the modern version and capabilities; tools are read from the capabilities', () => {
    expect(discoverVerdict(ok({ supportedVersions: ['2026-07-28'], capabilities: {}, serverInfo: { name: 's' } }), true, false))
      .toEqual({ kind: 'modern', serverInfo: { name: 's' }, offersTools: false });
    expect(discoverVerdict(ok({ supportedVersions: ['2026-07-28'], capabilities: { tools: {} } }), true, false)).toMatchObject({ offersTools: true });
    expect(discoverVerdict(ok({ supportedVersions: ['2025-06-18'], capabilities: {} }), true, false))
      .toMatchObject({ kind: 'failure', failure: { failureClass: 'VERSION_MISMATCH', fallback: true } });
    expect(discoverVerdict(ok({ capabilities: {} }), false, false)).toMatchObject({ kind: 'failure', failure: { failureClass: 'PROTOCOL_ERROR', fallback: false } });
  });

  test('forced modern reports a legacy answer as a version mismatch, and a 404 as it is', () => {
    expect(forcedModernFailure({ failureClass: 'PROTOCOL_ERROR', message: 'm', fallback: true })).toMatchObject({ failureClass: 'VERSION_MISMATCH', message: expect.stringMatching(/does not speak MCP 2026-07-28/) });
    expect(forcedModernFailure({ failureClass: 'NOT_FOUND', message: 'm', fallback: true })).toMatchObject({ failureClass: 'NOT_FOUND' });
  });
});

describe('initializeVerdict', () => {
  const result = { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's' } };
  test('a legacy version is accepted on Streamable HTTP, not on the 2024-11-05 transport', () => {
    expect(initializeVerdict(ok(result), 'legacy', true)).toMatchObject({ kind: 'initialized', protocolVersion: '2025-06-18' });
    expect(initializeVerdict(ok(result), 'sse', false)).toMatchObject({ kind: 'failure', failure: { failureClass: 'VERSION_MISMATCH' } });
  });

  test('-32022 on a 4xx naming only modern versions marks a modern-only server', () => {
    const refused: RpcOutcome = {
      ok: false,
      failure: { failureClass: 'VERSION_MISMATCH', message: 'm', fallback: true },
      timedOut: false,
      httpRpcError: { code: -32022, message: 'm', data: { supported: ['2026-07-28'] } },
    };
    expect(initializeVerdict(refused, 'legacy', true)).toMatchObject({ kind: 'failure', failure: { modernOnly: true, fallback: false } });
  });

  test('an endpoint on another origin is refused', () => {
    const target = new URL('http://127.0.0.1:1/sse');
    expect(endpointVerdict({ value: '/messages?s=1' }, target)).toEqual({ url: new URL('http://127.0.0.1:1/messages?s=1') });
    expect(endpointVerdict({ value: 'http://169.254.169.254/x' }, target)).toMatchObject({ failure: { failureClass: 'PROTOCOL_ERROR' } });
  });
});

describe('the option check names the option as the caller words it', () => {
  test('a structured problem per fault, with the option path', () => {
    expect(checkProbeOptions({ url: 'http://h/mcp', maxToolPages: 0, headers: { 'x y': 'v' } }, undefined).map((p) => p.option)).toEqual(['maxToolPages', 'headers']);
  });

  test('the library default names option paths', () => {
    expect(validateProbeOptions({ url: 'http://h/mcp', headers: { 'x y': 'v' } })).toEqual([expect.stringMatching(/^headers has "x y", which is not a valid header name \(an RFC 9110 token/)]);
  });

  test('describeOptionProblem uses the name and text the caller gives', () => {
    const [problem] = checkProbeOptions({ url: 'http://h/mcp', transport: 'grpc' as never }, undefined);
    expect(describeOptionProblem(problem, '--transport', '"grpc"')).toBe('--transport "grpc" is unknown: use one of auto, modern, legacy, sse');
  });

  test('the CLI names --header, not the option path', () => {
    const parsed = parseArgs(['http://h/mcp', '--header', 'x y: v'], {});
    expect(parsed).toEqual({ kind: 'usage-error', message: expect.stringMatching(/^--header has "x y", which is not a valid header name/) });
  });

  test('the CLI names --max-tools-bytes and shows the text given', () => {
    expect(parseArgs(['http://h/mcp', '--max-tools-bytes', '1e9'], {})).toEqual({ kind: 'usage-error', message: '--max-tools-bytes "1e9" must be a whole number from 1024 to 33554432' });
  });

  test('the canary names its variable', () => {
    const env = { [CANARY_ENV.URL]: 'https://x/mcp', [CANARY_ENV.SERVICE_NAME]: 's', [CANARY_ENV.METRIC_NAMESPACE]: 'n', [CANARY_ENV.DEADLINE_MS]: '1000' };
    expect(() => parseCanaryConfig({ ...env, [CANARY_ENV.HEADERS]: '{"x y":"v"}' })).toThrow(/- MCP_CANARY_HEADERS has "x y", which is not a valid header name/);
    expect(() => parseCanaryConfig({ ...env, [CANARY_ENV.SENTINEL_TOOL]: 't', [CANARY_ENV.SENTINEL_TOOL_ARGUMENTS]: '[1]' }))
      .toThrow(/- MCP_CANARY_SENTINEL_TOOL_ARGUMENTS must be a JSON object, not an array\./);
  });

  test('credentials are checked only when an environment is given', () => {
    const options = { url: 'https://h/mcp', sigv4: { region: 'us-east-1' } };
    expect(checkProbeOptions(options, undefined)).toEqual([]);
    expect(checkProbeOptions(options, {})).toEqual([expect.objectContaining({ option: 'sigv4', what: 'needs credentials' })]);
  });
});

describe('SEP-2243 parameter headers', () => {
  test.each([
    ['plain ASCII', 'us-east-1', 'us-east-1'],
    ['non-ASCII', 'Zürich', '=?base64?WsO8cmljaA==?='],
    ['a tab', 'a\tb', '=?base64?YQli?='],
    ['leading space', ' x', '=?base64?IHg=?='],
    ['empty', '', '=?base64??='],
    ['text that looks encoded', '=?base64?eA==?=', '=?base64?PT9iYXNlNjQ/ZUE9PT89?='],
  ])('%s: encodes as %j and decodes back', (_name, value, encoded) => {
    expect(encodeHeaderValue(value)).toBe(encoded);
    expect(decodeHeaderValue(encodeHeaderValue(value))).toBe(value);
  });

  test('x-mcp-header parameters are found through properties, and only with a valid header name and a primitive type', () => {
    const schema = {
      type: 'object',
      properties: {
        region: { 'type': 'string', 'x-mcp-header': 'Region' },
        bad: { 'type': 'string', 'x-mcp-header': 'Not A Header' },
        list: { 'type': 'array', 'x-mcp-header': 'List' },
        nested: { type: 'object', properties: { id: { 'type': 'integer', 'x-mcp-header': 'Id' } } },
      },
    };
    const params = mcpHeaderParams(schema);
    expect(params).toEqual([{ path: ['region'], header: 'Region' }, { path: ['nested', 'id'], header: 'Id' }]);
    expect(paramHeaderValues(params, { region: 'eu', nested: { id: 7 } })).toEqual({ 'mcp-param-region': 'eu', 'mcp-param-id': '7' });
  });
});

describe('the sequence verdicts', () => {
  test('the tool list: empty, missing tools, drift', () => {
    expect(checkToolList([], {}, 'ab', 'sha256:ab')).toMatchObject({ failureClass: 'NO_TOOLS' });
    expect(checkToolList(['a'], { expectTools: ['a', 'b'], callName: 'c' }, 'ab', 'sha256:ab')).toMatchObject({ failureClass: 'MISSING_TOOLS', message: expect.stringMatching(/^missing tools: b, c /) });
    expect(checkToolList(['a'], { expectHash: 'sha256:00000000000000ff' }, 'ab'.repeat(32), 'sha256:abab')).toMatchObject({ failureClass: 'SCHEMA_DRIFT' });
    expect(checkToolList(['a'], { expectTools: ['a'] }, 'ab', 'sha256:ab')).toBeUndefined();
  });

  test('the sentinel: timeout, input required, a tool error with credentials text', () => {
    expect(sentinelVerdict({ ok: false, failure: { failureClass: 'TIMEOUT', message: 'm' }, timedOut: true }, 't')).toMatchObject({ failureClass: 'TOOL_TIMEOUT' });
    expect(sentinelVerdict(ok({ resultType: 'input_required' }), 't')).toMatchObject({ failureClass: 'TOOL_ERROR' });
    expect(sentinelVerdict(ok({ isError: true, content: [{ type: 'text', text: 'ExpiredToken: the token expired' }] }), 't')).toMatchObject({ failureClass: 'TOOL_CREDENTIALS' });
    expect(sentinelVerdict(ok({ content: [] }), 't')).toBeUndefined();
  });
});
