import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** The custom domain of the custom-domain example stacks. */
export interface ExampleDomain {
  /** `mcp.<zoneName>`. */
  readonly domainName: string;
  /** The zone, read without a lookup (synth needs no account). */
  readonly domainZone: route53.IHostedZone;
}

/**
 * `mcp.<zone>` in the Route 53 zone named by the context values `hostedZoneId` and `zoneName`
 * (placeholders by default: pass yours with `-c hostedZoneId=Z... -c zoneName=example.org` to
 * deploy).
 */
export function exampleDomain(scope: Construct): ExampleDomain {
  const zoneName: string = scope.node.tryGetContext('zoneName') ?? 'example.com';
  const domainZone = route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', {
    hostedZoneId: scope.node.tryGetContext('hostedZoneId') ?? 'Z0123456789EXAMPLE',
    zoneName,
  });
  return { domainName: `mcp.${zoneName}`, domainZone };
}
