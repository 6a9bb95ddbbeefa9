import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { ValidationProblem } from '../../private/validation';
import { McpExpressServiceProps } from '../express-service-props';

/**
 * Where the tasks of an Express service run, and what that makes of its endpoint.
 *
 * The facts this rests on:
 * - `AWS::ECS::ExpressGatewayService.NetworkConfiguration` has only `Subnets` and `SecurityGroups`:
 *   no public-IP setting and no load balancer scheme (schema:
 *   node_modules/aws-cdk-lib/aws-ecs/lib/ecs.generated.d.ts,
 *   `CfnExpressGatewayService.ExpressGatewayServiceNetworkConfigurationProperty`;
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-expressgatewayservice-expressgatewayservicenetworkconfiguration.html).
 *   The endpoint's reachability shows only afterwards, as `IngressPaths[].AccessType` PUBLIC or
 *   PRIVATE (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_IngressPathSummary.html).
 * - So the one subnet set serves the tasks and the managed load balancer, and its kind decides the
 *   scheme: public subnets give an internet-facing load balancer and tasks with public IP
 *   addresses, private subnets an internal load balancer. AWS's pages do not say this in so many
 *   words; it is what deployments report (e.g. an endpoint in private subnets resolving to 10.x
 *   addresses only: https://dev.classmethod.jp/articles/ecs-express-mode-public-subnet-less/, and
 *   several public Terraform and CDK projects that had to accept public-IP tasks for a public URL).
 *   AWS's own advice is private subnets for applications that need no direct internet access
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-best-practices.html).
 *
 * Hence the defaults: the VPC the construct creates exists for the public URL (public subnets, and
 * no NAT gateway: the tasks go out through their public IPs, and the canary runs outside the VPC
 * for a public endpoint); a VPC the user gives keeps the tasks in its private subnets (an internal endpoint) unless the user
 * asks for `publicEndpoint: true` or selects public subnets, or the VPC has nothing but public
 * subnets (no NAT: public IPs are then how the tasks reach ECR at all).
 */
export interface ExpressNetwork {
  /** Whether the endpoint faces the internet (the tasks then run in public subnets with public IPs). */
  readonly publicEndpoint: boolean;

  /** The tasks' subnets; undefined when `problems` says why none could be chosen. */
  readonly subnets?: ec2.SelectedSubnets;

  /** Problems with `vpc`, `taskSubnets` and `publicEndpoint`, each naming the prop and the fix. */
  readonly problems: ValidationProblem[];
}

/** What a subnet of the VPC is, as far as the VPC's own lists tell. */
type SubnetKind = 'public' | 'private' | 'isolated' | 'unknown';

/** VPC endpoints tasks without a route to the internet need to pull an image and write logs. */
const ENDPOINTS_HINT = 'VPC endpoints for ECR (ecr.api, ecr.dkr), S3 and CloudWatch Logs (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html)';

const PRIVATE_BUT_PUBLIC: ValidationProblem = {
  id: 'cdk-mcp:expressPrivateSubnetsPublicEndpoint',
  message: 'taskSubnets selects private subnets but publicEndpoint is true: Express Mode takes its load balancer\'s scheme from the tasks\' subnets, so it would be internal. ' +
  'Select public subnets (taskSubnets: { subnetType: ec2.SubnetType.PUBLIC }), or remove publicEndpoint for an internal endpoint.',
};

const PUBLIC_FIX = 'publicEndpoint: true runs the tasks in its public subnets (they get public IPs and Express Mode\'s load balancer faces the internet)';

/**
 * Whether the construct's own VPC will serve an internal endpoint, as far as the props say before
 * any subnet is selected (only then may its public subnets stop mapping public IPs).
 */
export function createdVpcIsInternal(props: McpExpressServiceProps): boolean {
  if (props.publicEndpoint !== undefined) {
    return !props.publicEndpoint;
  }
  const type = props.taskSubnets?.subnetType;
  if (type !== undefined) {
    return type !== ec2.SubnetType.PUBLIC;
  }
  // The created VPC's groups are named 'Public' and (for an internal endpoint only) 'Private'.
  const group = props.taskSubnets?.subnetGroupName;
  return group !== undefined && group !== 'Public';
}

/**
 * Chooses the tasks' subnets and whether the endpoint is public, and reports contradictions.
 *
 * @param vpcGiven whether the user passed `vpc` (otherwise the construct created it)
 */
export function resolveExpressNetwork(vpc: ec2.IVpc, props: McpExpressServiceProps, vpcGiven: boolean): ExpressNetwork {
  const explicit = props.publicEndpoint;
  const problems: ValidationProblem[] = [];
  const selection = props.taskSubnets ?? defaultSelection(vpc, explicit, vpcGiven, problems);
  if (selection === undefined) {
    return { publicEndpoint: explicit ?? false, problems };
  }
  if (explicit === true && selection.subnetType !== undefined && selection.subnetType !== ec2.SubnetType.PUBLIC) {
    // Said before selecting: the VPC the construct creates for a public endpoint has no private subnets to select.
    problems.push(PRIVATE_BUT_PUBLIC);
    return { publicEndpoint: true, problems };
  }
  const subnets = vpc.selectSubnets(selection);
  if (subnets.isPendingLookup) {
    // Vpc.fromLookup before its first lookup: dummy subnets, nothing to check yet.
    return { publicEndpoint: explicit ?? selection.subnetType === ec2.SubnetType.PUBLIC, subnets, problems };
  }

  const kinds = subnets.subnets.map((subnet) => kindOf(vpc, subnet));
  const hasPublic = kinds.includes('public');
  const hasPrivate = kinds.includes('private') || kinds.includes('isolated');
  if (hasPublic && hasPrivate) {
    problems.push({
      id: 'cdk-mcp:expressMixedSubnets',
      message: `taskSubnets selects public and private subnets together (${describeKinds(kinds)}): Express Mode runs the tasks and its load balancer in the same subnets ` +
        'and takes the load balancer\'s scheme from them. Select only private subnets (an internal endpoint) or only public ones (publicEndpoint: true).',
    });
    return { publicEndpoint: explicit ?? false, subnets, problems };
  }
  const selected = hasPublic ? true : hasPrivate ? false : undefined;
  if (selected === undefined && explicit === undefined) {
    problems.push({
      id: 'cdk-mcp:expressUnknownSubnets',
      message: `taskSubnets selects ${kinds.length} subnet(s) that are not among the vpc's public, private or isolated subnets, so the construct cannot tell ` +
        'whether Express Mode\'s load balancer will face the internet: set publicEndpoint: true if they are public subnets, false if they are private.',
    });
    return { publicEndpoint: false, subnets, problems };
  }
  if (explicit === true && selected === false) {
    problems.push(PRIVATE_BUT_PUBLIC);
  }
  if (explicit === false && selected === true) {
    problems.push({
      id: 'cdk-mcp:expressPublicSubnetsInternalEndpoint',
      message: 'taskSubnets selects public subnets but publicEndpoint is false: in public subnets Express Mode\'s load balancer faces the internet and the tasks get public IPs. ' +
        'Select private subnets (taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }), or set publicEndpoint: true.',
    });
  }
  return { publicEndpoint: explicit ?? selected ?? false, subnets, problems };
}

/** The subnets the tasks get when `taskSubnets` is not given, or undefined after a problem. */
function defaultSelection(
  vpc: ec2.IVpc, explicit: boolean | undefined, vpcGiven: boolean, problems: ValidationProblem[],
): ec2.SubnetSelection | undefined {
  const PUBLIC: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };
  const PRIVATE: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  const hasPublic = vpc.publicSubnets.length > 0;
  const hasPrivate = vpc.privateSubnets.length > 0;
  const hasIsolated = vpc.isolatedSubnets.length > 0;

  if (explicit === true || (explicit === undefined && !vpcGiven)) {
    if (!hasPublic) {
      problems.push({
        id: 'cdk-mcp:expressNoPublicSubnets',
        message: 'publicEndpoint is true but the vpc has no public subnets: Express Mode\'s load balancer faces the internet only from public subnets. ' +
          'Add public subnets to the VPC, or set publicEndpoint: false for an internal endpoint.',
      });
      return undefined;
    }
    return PUBLIC;
  }
  if (hasPrivate) {
    return PRIVATE;
  }
  if (explicit === undefined && hasPublic && !hasIsolated) {
    // Public subnets only (no NAT): the only place the tasks can run, and public IPs are how they reach ECR.
    return PUBLIC;
  }
  const options = [
    hasIsolated
      ? `select its isolated subnets (taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }), which need ${ENDPOINTS_HINT}`
      : 'add private subnets with a NAT gateway to the VPC',
    ...(hasPublic && explicit !== false ? [PUBLIC_FIX] : []),
  ];
  problems.push({
    id: 'cdk-mcp:expressNoPrivateSubnets',
    message: (explicit === false
      ? 'publicEndpoint is false, but the vpc has no private subnets with egress (a NAT gateway) for the tasks of an internal endpoint. '
      : 'The vpc has no private subnets with egress (a NAT gateway), where McpExpressService runs the tasks of a VPC you give (an internal endpoint by default). ') +
      `${options.length > 1 ? 'Either ' : 'Instead, '}${options.join('; or ')}.`,
  });
  return undefined;
}

function kindOf(vpc: ec2.IVpc, subnet: ec2.ISubnet): SubnetKind {
  const same = (candidate: ec2.ISubnet) => candidate === subnet || candidate.subnetId === subnet.subnetId;
  if (vpc.publicSubnets.some(same)) return 'public';
  if (vpc.privateSubnets.some(same)) return 'private';
  if (vpc.isolatedSubnets.some(same)) return 'isolated';
  return 'unknown';
}

function describeKinds(kinds: readonly SubnetKind[]): string {
  const counts = new Map<SubnetKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${count} ${kind}`).join(', ');
}
