/**
 * Which side of a front door broke: the one rule the canary, the deploy gate and `mcp-probe
 * --origin` share. Pure: the probe of the front door and the probe of the origin in, the side and
 * a sentence out. See FAILED_SIDES in src/contract/canary-env.ts.
 */
import { FAILED_SIDES, type FailedSide } from '../../src/contract/canary-env';
import type { ProbeResult } from '../probe';

/**
 * The failed side, or null when the front door passed (nothing broke). AWS WAF blocking the
 * front door's probe (`BLOCKED_BY_WAF`) is the front door's side whatever the origin did: the
 * request never reached the origin, and the block stays after the origin is fixed. Otherwise the
 * front door is the side when the origin passed, and the origin when it failed too.
 */
export function failedSide(frontDoor: ProbeResult, origin: ProbeResult): FailedSide | null {
  if (frontDoor.ok) return null;
  return frontDoor.failureClass === 'BLOCKED_BY_WAF' || origin.ok ? FAILED_SIDES.FRONT_DOOR : FAILED_SIDES.ORIGIN;
}

/** One sentence naming the failed side and where to look, for the log line, the gate's error and the CLI. */
export function describeSide(frontDoor: ProbeResult, origin: ProbeResult): string {
  const side = failedSide(frontDoor, origin);
  if (side === null) {
    return origin.ok ? 'front door and origin pass' : `the front door passes but the origin fails (${origin.failureClass}): check the origin URL and the auth used for it`;
  }
  if (side === FAILED_SIDES.FRONT_DOOR) {
    const waf = frontDoor.failureClass === 'BLOCKED_BY_WAF';
    if (waf && !origin.ok) {
      return `failed side: front door. AWS WAF blocked the probe (BLOCKED_BY_WAF), and the origin fails too (${origin.failureClass}): fix the web ACL rule first (clients never reach the origin past it), then the server`;
    }
    return `failed side: front door. It fails (${frontDoor.failureClass}) while the origin answers: look at ${waf ? 'the web ACL (sampled requests, terminatingRuleId)' : 'the front door (CloudFront, API Gateway, AWS WAF, DNS, the custom domain\'s certificate)'}, not the server`;
  }
  return `failed side: origin. The origin fails too (${origin.failureClass}): the server (or the path from the front door to it) broke, not the front door alone`;
}
