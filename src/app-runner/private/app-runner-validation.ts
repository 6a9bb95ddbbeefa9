import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkRegionalWebAcl } from '../../front-door/private/regional-web-acl';
import { checkSecretsNotInEnvironment } from '../../private/secret-names';
import { ValidationErrors } from '../../private/validation';
import { McpSessionMode } from '../../service';
import type { McpAppRunnerServiceProps } from '../app-runner-service-props';

/**
 * The CPU and memory combinations App Runner accepts: CPU units (1024 = 1 vCPU) to the memory
 * sizes in MiB allowed with them.
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/dg/architecture.html#architecture.vcpu-memory
 */
export const APP_RUNNER_CPU_MEMORY: { readonly [cpu: number]: readonly number[] } = {
  256: [512, 1024],
  512: [1024],
  1024: [2048, 3072, 4096],
  2048: [4096, 6144],
  4096: [8192, 10240, 12288],
};

/** The most instances App Runner keeps provisioned (`MinSize` is at most 25). */
export const APP_RUNNER_MAX_MIN_INSTANCES = 25;

/** App Runner's default `MaxSize`, also its default instance quota per service (adjustable). */
export const APP_RUNNER_DEFAULT_MAX_INSTANCES = 25;

/** The most concurrent requests one App Runner instance can be configured to take. */
export const APP_RUNNER_MAX_CONCURRENCY = 200;

/** App Runner's service name rule: 4 to 40 letters, digits, `-` and `_`, starting with a letter or digit. */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/;


/** `cpu` and `memoryLimitMiB` must form one of App Runner's instance sizes. */
export function checkCpuMemory(errors: ValidationErrors, cpu: number, memoryLimitMiB: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memoryLimitMiB)) {
    return;
  }
  const memories = APP_RUNNER_CPU_MEMORY[cpu];
  if (!memories) {
    errors.check('cdk-mcp:appRunnerCpu', false, `cpu must be one of ${Object.keys(APP_RUNNER_CPU_MEMORY).join(', ')} CPU units (1024 = 1 vCPU) (got ${cpu}).`);
    return;
  }
  const combinations = Object.entries(APP_RUNNER_CPU_MEMORY)
    .map(([c, ms]) => `${c}: ${ms.join('/')}`)
    .join('; ');
  errors.check(
    'cdk-mcp:appRunnerMemory',
    memories.includes(memoryLimitMiB),
    `memoryLimitMiB ${memoryLimitMiB} is not available with cpu ${cpu}: App Runner allows ${memories.join(', ')} MiB with ${cpu} CPU units. ` +
      `Valid cpu: memoryLimitMiB combinations are ${combinations}.`,
  );
}

/** An App Runner service name, when one is given. */
export function checkServiceName(errors: ValidationErrors, serviceName: string | undefined): void {
  if (serviceName === undefined || Token.isUnresolved(serviceName)) {
    return;
  }
  errors.check(
    'cdk-mcp:appRunnerServiceNameFormat',
    SERVICE_NAME.test(serviceName),
    `serviceName must be 4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit (got "${serviceName}"), e.g. "orders-mcp".`,
  );
}

/**
 * Names of runtime environment variables and secrets: valid names, not owned by the construct or
 * App Runner, and no name set twice.
 */
export function checkEnvironmentNames(
  errors: ValidationErrors,
  environment: { [name: string]: string },
  secretNames: string[],
  reserved: { [name: string]: string },
): void {
  const secrets = Object.fromEntries(secretNames.map((name) => [name, '']));
  for (const [prop, names] of [['environment', environment], ['secrets', secrets]] as const) {
    errors.environmentNames(prop, names, reserved);
    for (const name of Object.keys(names)) {
      errors.check(
        'cdk-mcp:appRunnerReservedPrefix',
        !name.toUpperCase().startsWith('AWSAPPRUNNER'),
        `${prop} key "${name}" starts with AWSAPPRUNNER, a prefix App Runner reserves. Rename the variable.`,
      );
    }
  }
  checkSecretsNotInEnvironment(errors, secrets, environment);
}

/** Environment variables the construct owns; setting them in `environment` is an error. */
export const RESERVED_ENVIRONMENT: { [name: string]: string } = {
  PORT: 'it is set from the port prop',
};

export interface ResolvedAppRunnerSettings {
  readonly port: number;
  readonly mcpPath: string;
  readonly healthCheckPath: string;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly maxConcurrency: number;
  readonly sessionMode: McpSessionMode;
  readonly healthCheckInterval: Duration;
  readonly healthCheckTimeout: Duration;
}

export function validateAppRunnerServiceProps(scope: IConstruct, props: McpAppRunnerServiceProps, resolved: ResolvedAppRunnerSettings): void {
  const errors = new ValidationErrors('McpAppRunnerService', scope);
  errors.integerInRange('port', resolved.port, 1, 65535);
  errors.path('mcpPath', resolved.mcpPath);
  errors.path('healthCheckPath', resolved.healthCheckPath);
  errors.notMcpPath('healthCheckPath', resolved.healthCheckPath, resolved.mcpPath, 'so App Runner would never see the service healthy');
  for (const [prop, duration] of [['healthCheckInterval', resolved.healthCheckInterval], ['healthCheckTimeout', resolved.healthCheckTimeout]] as const) {
    errors.durationInRange(prop, duration, Duration.seconds(1), Duration.seconds(20), { wholeSeconds: true, why: 'App Runner\'s limits' });
  }
  errors.integerInRange('healthCheckHealthyThreshold', props.healthCheckHealthyThreshold, 1, 20);
  errors.integerInRange('healthCheckUnhealthyThreshold', props.healthCheckUnhealthyThreshold, 1, 20);
  checkCpuMemory(errors, resolved.cpu, resolved.memoryLimitMiB);
  errors.integerInRange('minInstances', resolved.minInstances, 1, APP_RUNNER_MAX_MIN_INSTANCES);
  // No upper bound: the 25-instance limit is an adjustable quota, not a property rule.
  errors.integerInRange('maxInstances', resolved.maxInstances, 1, Number.MAX_SAFE_INTEGER);
  errors.integerInRange('maxConcurrency', resolved.maxConcurrency, 1, APP_RUNNER_MAX_CONCURRENCY);
  const { minInstances, maxInstances } = resolved;
  errors.notAbove('minInstances', minInstances, 'maxInstances', maxInstances);
  if (resolved.sessionMode === McpSessionMode.STATEFUL) {
    errors.check(
      'cdk-mcp:appRunnerStatefulScaling',
      Token.isUnresolved(maxInstances) || maxInstances === 1,
      `sessionMode is STATEFUL but maxInstances is ${maxInstances}: App Runner has no session affinity, so a session's requests would reach instances that never saw it ` +
        '(intermittent 404 "Session not found"). Set maxInstances: 1, or make the server stateless (the better choice), or use McpFargateService with stickiness.',
    );
  }
  checkServiceName(errors, props.serviceName);
  checkEnvironmentNames(errors, props.environment ?? {}, Object.keys(props.secrets ?? {}), RESERVED_ENVIRONMENT);
  if (!props.vpc) {
    errors.check('cdk-mcp:vpcSubnetsWithoutVpc', !props.vpcSubnets, 'vpcSubnets is set without vpc. Set vpc too, or remove vpcSubnets.');
    errors.check('cdk-mcp:securityGroupsWithoutVpc', !props.securityGroups, 'securityGroups is set without vpc: they belong to the VPC connector. Set vpc too, or remove securityGroups.');
    errors.check('cdk-mcp:allowAllOutboundWithoutVpc', props.allowAllOutbound === undefined, 'allowAllOutbound is set without vpc: it shapes the VPC connector\'s security group. Set vpc too, or remove allowAllOutbound.');
  }
  checkAppRunnerFrontDoor(errors, scope, props);
  errors.check(
    'cdk-mcp:allowAllOutboundWithSecurityGroups',
    props.allowAllOutbound === undefined || !props.securityGroups,
    'allowAllOutbound is set together with securityGroups: it shapes only the security group the construct creates. Set the egress rules on your security groups, or remove securityGroups.',
  );
  errors.throwIfAny();
}

/**
 * The front door props on App Runner: a custom domain needs its Route 53 zone (the construct
 * writes App Runner's validation records and a CNAME there), must lie under the zone's name and
 * not be its apex (DNS allows no CNAME beside the apex's SOA and NS records:
 * https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2), and takes no certificate (App Runner
 * issues and tracks its own, in ACM: https://docs.aws.amazon.com/apprunner/latest/api/API_AssociateCustomDomain.html);
 * a web ACL must be regional, in the service's region.
 */
function checkAppRunnerFrontDoor(errors: ValidationErrors, scope: IConstruct, props: McpAppRunnerServiceProps): void {
  const domainName = props.domainName;
  errors.check(
    'cdk-mcp:appRunnerCertificate',
    props.certificate === undefined,
    'certificate does not apply to App Runner: App Runner issues and renews the certificate of domainName itself when the domain is associated. Remove certificate.',
  );
  errors.check(
    'cdk-mcp:appRunnerDomainWithoutZone',
    domainName === undefined || props.domainZone !== undefined,
    `domainName ${domainName} needs domainZone on App Runner: the construct associates the domain and writes App Runner's certificate-validation records and the CNAME `
      + 'in that Route 53 zone (HostedZone.fromHostedZoneAttributes reads one without a lookup). With DNS elsewhere, remove domainName, associate the domain yourself '
      + `(aws apprunner associate-custom-domain), and set canaryUrl to https://${domainName}/<mcpPath> so the canary probes it.`,
  );
  errors.check(
    'cdk-mcp:appRunnerZoneWithoutDomain',
    props.domainZone === undefined || domainName !== undefined,
    'domainZone is set but domainName is not: pass the domain to associate with the service (e.g. mcp.example.com), or remove domainZone.',
  );
  if (domainName !== undefined && !Token.isUnresolved(domainName)) {
    errors.check(
      'cdk-mcp:appRunnerDomainNameFormat',
      /^(?!-)[A-Za-z0-9-]{1,63}(?:\.(?!-)[A-Za-z0-9-]{1,63})+\.?$/.test(domainName) && domainName.length <= 253,
      `domainName must be a DNS name such as mcp.example.com, without scheme, path or port (got ${JSON.stringify(domainName)}).`,
    );
    const zoneName = props.domainZone?.zoneName;
    if (zoneName !== undefined && !Token.isUnresolved(zoneName)) {
      const name = domainName.toLowerCase().replace(/\.$/, '');
      const zone = zoneName.toLowerCase().replace(/\.$/, '');
      errors.check(
        'cdk-mcp:appRunnerApexDomain',
        name !== zone,
        `domainName ${domainName} is the apex of domainZone ${zoneName}: App Runner needs a CNAME to its DNS target, and DNS allows no CNAME at a zone's apex. `
          + `Use a name under it, e.g. mcp.${zone}.`,
      );
      errors.check(
        'cdk-mcp:appRunnerDomainOutsideZone',
        name === zone || name.endsWith(`.${zone}`),
        `domainName ${domainName} is not in domainZone ${zoneName}: pass the zone that holds the name, or a name under ${zone}.`,
      );
    }
  }
  checkRegionalWebAcl(errors, scope, props.webAcl, 'an App Runner service');
}
