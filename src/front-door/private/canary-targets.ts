import { Token } from 'aws-cdk-lib';
import { McpCanaryAuth } from '../../canary/canary-auth';
import { ValidationErrors } from '../../private/validation';
import { McpFrontDoorOptions } from '../front-door-options';

/** What a service knows of itself when it wires its canary. */
export interface ServiceEndpoints {
  /** The URL clients use: the custom domain when the kind built a front door, else the origin's own URL. */
  readonly url: string;
  /**
   * The origin behind a front door the kind built (the Function URL behind API Gateway, the Web
   * Function endpoint or Express URL behind CloudFront), with how the canary may reach it.
   */
  readonly origin?: { readonly url: string; readonly auth?: McpCanaryAuth };
}

/** What the canary probes: the monitoring props `url`, `originUrl` and `originAuth`. */
export interface CanaryTargets {
  readonly url: string;
  readonly originUrl?: string;
  readonly originAuth?: McpCanaryAuth;
}

/**
 * The one rule of every kind for what the canary probes (`McpFrontDoorOptions.canaryUrl` and
 * `canaryProbesOrigin`): the front door clients use, and on a failure also the origin behind it.
 * With `canaryUrl` (a front door the user built), the service's own URL is the origin.
 * Problems go into `errors` under the ids `cdk-mcp:canaryUrlFormat` and `cdk-mcp:canaryProbesOriginWithoutFrontDoor`.
 */
export function canaryTargets(errors: ValidationErrors, props: McpFrontDoorOptions, service: ServiceEndpoints): CanaryTargets {
  const canaryUrl = props.canaryUrl;
  errors.check(
    'cdk-mcp:canaryUrlFormat',
    canaryUrl === undefined || Token.isUnresolved(canaryUrl) || /^https?:\/\/[^\s/]+(\/\S*)?$/.test(canaryUrl),
    `canaryUrl must be an http:// or https:// URL (got "${canaryUrl}"), e.g. https://mcp.example.com/mcp.`,
  );
  const origin = service.origin ?? (canaryUrl !== undefined ? { url: service.url } : undefined);
  errors.check(
    'cdk-mcp:canaryProbesOriginWithoutFrontDoor',
    props.canaryProbesOrigin !== true || origin !== undefined,
    'canaryProbesOrigin is true but the service has no front door to tell apart from its origin: give domainName (or webAcl where it adds a front door) or canaryUrl, or remove canaryProbesOrigin.',
  );
  const url = canaryUrl ?? service.url;
  const probeOrigin = props.canaryProbesOrigin ?? origin !== undefined;
  if (!probeOrigin || origin === undefined) {
    return { url };
  }
  return { url, originUrl: origin.url, originAuth: origin.auth };
}
