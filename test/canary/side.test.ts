/**
 * The one rule for the failed side (lambda/canary/side.ts), shared by the canary, the deploy gate
 * and `mcp-probe --origin`: every combination of the two verdicts, the WAF case included.
 */
import { describeSide, failedSide } from '../../lambda/canary/side';
import type { ProbeResult } from '../../lambda/probe';

function result(failureClass: ProbeResult['failureClass']): ProbeResult {
  const ok = failureClass === 'OK';
  return {
    ok,
    failureClass,
    layer: ok ? null : 'http',
    era: null,
    protocolVersion: null,
    server: null,
    toolCount: null,
    tools: [],
    toolsHash: null,
    httpStatus: null,
    frontDoor: null,
    certDaysRemaining: null,
    message: failureClass,
    traceId: null,
    timings: { connectMs: null, tlsMs: null, handshakeMs: null, toolsListMs: null, toolCallMs: null, totalMs: 1 },
  };
}

test.each([
  ['OK', 'OK', null],
  ['OK', 'UNAVAILABLE', null],
  ['BAD_GATEWAY', 'OK', 'front-door'],
  ['DNS_ERROR', 'OK', 'front-door'],
  ['BAD_GATEWAY', 'UNAVAILABLE', 'origin'],
  ['GATEWAY_TIMEOUT', 'TIMEOUT', 'origin'],
  ['BLOCKED_BY_WAF', 'OK', 'front-door'],
  ['BLOCKED_BY_WAF', 'CONNECTION_REFUSED', 'front-door'],
] as const)('front door %s, origin %s: failed side %s', (front, origin, side) => {
  expect(failedSide(result(front), result(origin))).toBe(side);
});

test('the sentences name the side, the classes and where to look', () => {
  expect(describeSide(result('OK'), result('OK'))).toBe('front door and origin pass');
  expect(describeSide(result('OK'), result('FORBIDDEN'))).toBe('the front door passes but the origin fails (FORBIDDEN): check the origin URL and the auth used for it');
  expect(describeSide(result('BLOCKED_BY_WAF'), result('OK'))).toMatch(/^failed side: front door\. It fails \(BLOCKED_BY_WAF\) while the origin answers: look at the web ACL/);
  expect(describeSide(result('GATEWAY_TIMEOUT'), result('TIMEOUT'))).toMatch(/^failed side: origin\. The origin fails too \(TIMEOUT\)/);
});
