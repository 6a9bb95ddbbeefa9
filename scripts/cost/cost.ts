/**
 * `npm run cost`: the monthly bill of every construct at its defaults and of every example
 * stack, computed from the synthesized templates and the canary's real EMF record, with one
 * price table (./prices.ts). Prints monitoring and service cost apart, and resource counts.
 *
 * Run: npx ts-node --prefer-ts-exts scripts/cost/cost.ts [--json]
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CLIENT_REQUEST_VOLUMES, frontDoorCosts } from './front-door';
import { HOURS_PER_MONTH, PRICES, PROBES_PER_MONTH, REQUESTS_PER_PROBE } from './prices';
import { toolMetricsCosts } from './tool-metrics';
import { parseCanaryConfig } from '../../lambda/canary/config';
import { buildEmfRecord } from '../../lambda/canary/emf';
import {
  McpAppRunnerImage, McpAppRunnerService, McpCanary, McpCognitoAuthorizationServer, McpExpressService, McpFargateService, McpLambdaService,
  McpServerCode,
  McpServiceMonitoring, McpWebFunctionCode, McpWebFunctionService,
} from '../../src';
import { exampleStackClasses } from '../../test/support/example-stacks';


/** One line of the bill. */
export interface CostLine {
  readonly item: string;
  readonly monthly: number;
}

/** The bill of one stack. */
export interface StackCost {
  readonly name: string;
  readonly resources: number;
  readonly monitoring: CostLine[];
  readonly service: CostLine[];
}

/** What a passing probe's EMF record publishes: custom metrics (metric x dimension set) and its size in bytes. */
export function canaryRecord(): { metrics: number; bytes: number } {
  const config = parseCanaryConfig({
    MCP_CANARY_URL: 'https://mcp.example.com/mcp',
    MCP_CANARY_SERVICE_NAME: 'cost',
    MCP_CANARY_METRIC_NAMESPACE: 'MCP',
    MCP_CANARY_DEADLINE_MS: '28000',
  });
  const passing: any = {
    ok: true,
    url: 'https://mcp.example.com/mcp',
    era: 'modern',
    protocolVersion: '2026-07-28',
    durationMs: 120,
    timings: { connectMs: 5, tlsMs: 10, handshakeMs: 40, toolsListMs: 30, toolCallMs: null, totalMs: 120 },
    toolCount: 3,
    tools: ['a', 'b', 'c'],
    toolsHash: 'sha256:0123456789abcdef',
    certDaysRemaining: 80,
  };
  const record = buildEmfRecord(config, passing, Date.now());
  return {
    metrics: record._aws.CloudWatchMetrics.reduce((n, d) => n + d.Metrics.length * d.Dimensions.length, 0),
    bytes: JSON.stringify(record).length + 1,
  };
}

/**
 * Billed seconds of one canary run. On loopback a probe takes ~5 ms; against a same-region AWS
 * endpoint the network (TCP, TLS, three MCP round trips) makes it ~0.2-0.4 s, and a cold start of
 * the canary adds ~0.3 s once per environment: 0.5 s is a conservative figure.
 */
const CANARY_RUN_SECONDS = 0.5;

/** Bytes of Lambda's platform records per run in the JSON log format (start, runtimeDone, report; ~300 bytes each). */
const PLATFORM_LOG_BYTES_PER_RUN = 900;

function monitoringLines(template: Template, emf: { metrics: number; bytes: number }): CostLine[] {
  const lines: CostLine[] = [];
  const canaries = Object.values(template.findResources('AWS::Lambda::Function')).filter((f: any) => String(f.Properties.Description ?? '').startsWith('MCP protocol canary'));
  const n = canaries.length;
  if (n > 0) {
    lines.push({ item: `custom metrics from the canary EMF line (${emf.metrics} per canary; ProbeFailures only in failing hours)`, monthly: n * emf.metrics * PRICES.customMetricMonth });
    const gbSeconds = PROBES_PER_MONTH * CANARY_RUN_SECONDS * (256 / 1024);
    lines.push({ item: `canary Lambda (1 run a minute, ${CANARY_RUN_SECONDS} s at 256 MB)`, monthly: n * ((PROBES_PER_MONTH / 1e6) * PRICES.lambdaRequestMillion + gbSeconds * PRICES.lambdaArmGbSecond) });
    const gb = (PROBES_PER_MONTH * (PLATFORM_LOG_BYTES_PER_RUN + emf.bytes)) / 1e9;
    lines.push({ item: `canary logs (${emf.bytes} B EMF line + ${PLATFORM_LOG_BYTES_PER_RUN} B platform records a run; ingest + a month stored)`, monthly: n * gb * (PRICES.logIngestGb + PRICES.logStoreGbMonth) });
  }
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
  const alarmMetrics = alarms.reduce((sum, a) => sum + (a.Properties.Metrics ? a.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1), 0);
  lines.push({ item: `${alarms.length} alarms reading ${alarmMetrics} metrics`, monthly: alarmMetrics * PRICES.alarmMetricMonth });
  const composites = Object.keys(template.findResources('AWS::CloudWatch::CompositeAlarm')).length;
  lines.push({ item: `${composites} composite health alarm(s)`, monthly: composites * PRICES.compositeAlarmMonth });
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')) as any[];
  // A filter publishes every minute when it matches every invocation's report or has a default value.
  const continuous = filters.filter((f) => /platform\.report" && \$\.record\.metrics/.test(f.Properties.FilterPattern) || f.Properties.MetricTransformations.some((t: any) => t.DefaultValue !== undefined));
  lines.push({ item: `${filters.length} log metric filters, ${continuous.length} publishing continuously`, monthly: continuous.length * PRICES.customMetricMonth });
  const keys = Object.keys(template.findResources('AWS::KMS::Key')).length;
  lines.push({ item: `${keys} KMS key(s) (alarm topic)`, monthly: keys * PRICES.kmsKeyMonth });
  const dashboards = Object.keys(template.findResources('AWS::CloudWatch::Dashboard')).length;
  if (dashboards) lines.push({ item: `${dashboards} dashboard(s)`, monthly: dashboards * PRICES.dashboardMonth });
  return lines;
}

/**
 * Services Express Mode shares one managed load balancer between: up to 25, by host-header listener
 * rules, among the Express services of one VPC whose subnets give the same scheme (AWS's launch
 * post, Japanese edition:
 * https://aws.amazon.com/jp/blogs/news/build-production-ready-applications-without-infrastructure-complexity-using-amazon-ecs-express-mode/,
 * and re:Invent 2025 session CNS341; a load balancer has one scheme, so public and private
 * subnets never share one; https://dev.classmethod.jp/articles/ecs-express-mode-alb-creation-timing/
 * measured when Express Mode makes a new one). AWS's
 * developer guide says only that Express Mode creates "an Application Load Balancer".
 */
const EXPRESS_SERVICES_PER_LOAD_BALANCER = 25;

/** The subnets of a template by logical id: their VPC's logical id and whether CDK made them public. */
function subnetKinds(template: Template): Map<string, { vpc: string; public: boolean }> {
  const kinds = new Map<string, { vpc: string; public: boolean }>();
  for (const [id, subnet] of Object.entries(template.findResources('AWS::EC2::Subnet')) as Array<[string, any]>) {
    const type = (subnet.Properties.Tags ?? []).find((t: any) => t.Key === 'aws-cdk:subnet-type')?.Value;
    kinds.set(id, { vpc: JSON.stringify(subnet.Properties.VpcId), public: type === 'Public' });
  }
  return kinds;
}

function serviceLines(template: Template): CostLine[] {
  const lines: CostLine[] = [];
  const albMonth = (PRICES.albHour + PRICES.albLcuHour) * HOURS_PER_MONTH;
  const publicIps: Array<[string, number]> = [];
  const nat = Object.keys(template.findResources('AWS::EC2::NatGateway')).length;
  if (nat) lines.push({ item: `${nat} NAT gateway(s) of the created VPC`, monthly: nat * PRICES.natGatewayHour * HOURS_PER_MONTH });
  publicIps.push(['Elastic IP', Object.keys(template.findResources('AWS::EC2::EIP')).length]);
  const albs = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer')) as any[];
  if (albs.length) lines.push({ item: `${albs.length} Application Load Balancer(s), 1 LCU`, monthly: albs.length * albMonth });
  // An internet-facing load balancer holds a public IPv4 address in each of its subnets (zones).
  publicIps.push(['load balancer', albs.filter((a) => a.Properties.Scheme !== 'internal').reduce((n, a) => n + (a.Properties.Subnets ?? a.Properties.SubnetMappings ?? []).length, 0)]);
  let taskIps = 0;
  for (const [id, svc] of Object.entries(template.findResources('AWS::ECS::Service')) as Array<[string, any]>) {
    const tds = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
    const td = tds[0]?.Properties;
    if (!td) continue;
    const count = svc.Properties.DesiredCount ?? 1;
    const perTask = (Number(td.Cpu) / 1024) * PRICES.fargateVcpuHour + (Number(td.Memory) / 1024) * PRICES.fargateGbHour;
    lines.push({ item: `Fargate ${id}: ${count} task(s) of ${td.Cpu} CPU / ${td.Memory} MiB`, monthly: count * perTask * HOURS_PER_MONTH });
    if (svc.Properties.NetworkConfiguration?.AwsvpcConfiguration?.AssignPublicIp === 'ENABLED') taskIps += count;
  }
  // Express Mode runs the tasks on Fargate (Fargate prices) behind a managed Application Load
  // Balancer that is not in the template: one per group of up to 25 Express services of a VPC and
  // scheme. Tasks in public subnets get public IPs, and the load balancer is then internet-facing.
  const kinds = subnetKinds(template);
  const groups = new Map<string, { services: number; public: boolean; zones: number }>();
  for (const svc of Object.values(template.findResources('AWS::ECS::ExpressGatewayService')) as any[]) {
    const p = svc.Properties;
    const count = p.ScalingTarget?.MinTaskCount ?? 1;
    const perTask = (Number(p.Cpu) / 1024) * PRICES.fargateVcpuHour + (Number(p.Memory) / 1024) * PRICES.fargateGbHour;
    lines.push({ item: `Express Mode: ${count} task(s) of ${p.Cpu} CPU / ${p.Memory} MiB`, monthly: count * perTask * HOURS_PER_MONTH });
    const subnets = (p.NetworkConfiguration?.Subnets ?? []).map((s: any) => kinds.get(s.Ref));
    const isPublic = subnets.length > 0 && subnets.every((k: any) => k?.public);
    if (isPublic) taskIps += count;
    const key = `${subnets[0]?.vpc ?? 'a VPC outside the template'}|${isPublic}`;
    const group = groups.get(key) ?? { services: 0, public: isPublic, zones: subnets.length };
    groups.set(key, { ...group, services: group.services + 1 });
  }
  const managed = [...groups.values()].map((g) => ({ ...g, albs: Math.ceil(g.services / EXPRESS_SERVICES_PER_LOAD_BALANCER) }));
  const managedAlbs = managed.reduce((n, g) => n + g.albs, 0);
  if (managedAlbs) {
    lines.push({
      item: `${managedAlbs} Express Mode managed Application Load Balancer(s), 1 LCU, for ${managed.map((g) => g.services).join(' + ')} Express service(s) (one serves up to ${EXPRESS_SERVICES_PER_LOAD_BALANCER} of a VPC and scheme)`,
      monthly: managedAlbs * albMonth,
    });
    publicIps.push(['Express load balancer', managed.filter((g) => g.public).reduce((n, g) => n + g.albs * g.zones, 0)]);
  }
  publicIps.push(['task', taskIps]);
  const ips = publicIps.filter(([, n]) => n > 0);
  const ipCount = ips.reduce((n, [, c]) => n + c, 0);
  if (ipCount) {
    lines.push({ item: `${ipCount} public IPv4 address(es): ${ips.map(([what, n]) => `${n} ${what}`).join(', ')}`, monthly: ipCount * PRICES.publicIpv4Hour * HOURS_PER_MONTH });
  }
  for (const alias of Object.values(template.findResources('AWS::Lambda::Alias')) as any[]) {
    const pc = alias.Properties.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions;
    if (pc) lines.push({ item: `provisioned concurrency ${pc} x 1 GB`, monthly: pc * 1 * PRICES.lambdaArmProvisionedGbSecond * 3600 * HOURS_PER_MONTH });
  }
  const servers = Object.values(template.findResources('AWS::Lambda::Function')).filter((f: any) => String(f.Properties.Description ?? '').startsWith('MCP server')) as any[];
  for (const fn of servers) {
    const gb = (fn.Properties.MemorySize ?? 1024) / 1024;
    const requests = PROBES_PER_MONTH * REQUESTS_PER_PROBE;
    lines.push({
      item: `server Lambda answering the canary (${REQUESTS_PER_PROBE} requests a probe, ~50 ms each)`,
      monthly: (requests / 1e6) * PRICES.lambdaRequestMillion + requests * 0.05 * gb * PRICES.lambdaArmGbSecond,
    });
  }
  // An McpCognitoAuthorizationServer's canary client: billed per client, and per token request
  // (the canary caches its token until shortly before it expires: about one request per validity).
  for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as any[]) {
    if ((client.Properties.AllowedOAuthFlows ?? []).includes('client_credentials')) {
      const validityHours = (client.Properties.AccessTokenValidity ?? 60) / 60;
      const tokenRequests = HOURS_PER_MONTH / validityHours;
      lines.push({ item: 'Cognito machine-to-machine client of the canary (UNCONFIRMED price)', monthly: PRICES.cognitoM2mClientMonth });
      lines.push({
        item: `Cognito token requests of the canary (${Math.round(tokenRequests)}: one per ${validityHours} h token)`,
        monthly: (tokenRequests / 1000) * PRICES.cognitoM2mTokenRequestThousand,
      });
    }
  }
  for (const svc of Object.values(template.findResources('AWS::AppRunner::Service')) as any[]) {
    // App Runner memory is "2 GB" or "2048" (MB); anything above 64 is MB.
    const raw = parseFloat(String(svc.Properties.InstanceConfiguration?.Memory ?? '2 GB'));
    const memGb = raw > 64 ? raw / 1024 : raw;
    lines.push({ item: `App Runner: 1 provisioned instance, ${memGb} GB (idle)`, monthly: memGb * PRICES.appRunnerProvisionedGbHour * HOURS_PER_MONTH });
  }
  return lines;
}

export function costOf(name: string, stack: Stack, emf: { metrics: number; bytes: number }): StackCost {
  const template = Template.fromStack(stack);
  const resources = Object.keys(template.toJSON().Resources ?? {}).length;
  return { name, resources, monitoring: monitoringLines(template, emf), service: serviceLines(template) };
}

/**
 * Every construct at defaults, each alone in a stack, and the cheaper or dearer network choice of
 * the container services (named `Construct { prop: value }`).
 */
export function constructCosts(emf: { metrics: number; bytes: number }): StackCost[] {
  const server = path.join(__dirname, '..', '..', 'examples', 'server');
  const make = (name: string, build: (stack: Stack) => void): StackCost => {
    const stack = new Stack(new App(), name.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+$/, ''));
    build(stack);
    return costOf(name, stack, emf);
  };
  return [
    make('McpLambdaService', (s) => new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(server) })),
    make('McpFargateService', (s) => new McpFargateService(s, 'Mcp', { image: ecs.ContainerImage.fromAsset(server) })),
    make('McpAppRunnerService', (s) => new McpAppRunnerService(s, 'Mcp', { image: McpAppRunnerImage.fromAsset(server) })),
    make('McpWebFunctionService', (s) => new McpWebFunctionService(s, 'Mcp', { code: McpWebFunctionCode.fromDirectory(path.join(__dirname, '..', '..', 'test', 'fixtures', 'web-function-server')) })),
    make('McpFargateService { natGateways: 0 }', (s) => new McpFargateService(s, 'Mcp', { image: ecs.ContainerImage.fromAsset(server), natGateways: 0 })),
    make('McpExpressService', (s) => new McpExpressService(s, 'Mcp', { image: ecs.ContainerImage.fromAsset(server) })),
    make('McpExpressService { publicEndpoint: false }', (s) => new McpExpressService(s, 'Mcp', { image: ecs.ContainerImage.fromAsset(server), publicEndpoint: false })),
    make('McpCognitoAuthorizationServer', (s) => new McpCognitoAuthorizationServer(s, 'Auth', { resources: ['https://mcp.example.com/mcp'] })),
    make('McpCanary', (s) => new McpCanary(s, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'cost' })),
    // Watching an MCP server this app does not deploy: canary, probe alarms, health alarm, topic.
    make('McpServiceMonitoring', (s) => new McpServiceMonitoring(s, 'Watch', { url: 'https://mcp.example.com/mcp', serviceName: 'cost', alarmEmails: ['oncall@example.com'] })),
    // Behind a front door, the canary also probes the origin after a failed probe: one more alarm
    // (FrontDoorFailing); its metrics are published only in the hours the front door fails.
    make('McpServiceMonitoring { originUrl }', (s) => new McpServiceMonitoring(s, 'Watch', {
      url: 'https://mcp.example.com/mcp', originUrl: 'https://abc.lambda-url.us-east-1.on.aws/mcp', serviceName: 'cost', alarmEmails: ['oncall@example.com'],
    })),
  ];
}

/** Every example stack (examples/*-stack.ts), as deployed by `cdk deploy` of the example apps. */
export function exampleCosts(emf: { metrics: number; bytes: number }): StackCost[] {
  return exampleStackClasses().map(([name, StackClass]) => costOf(`example ${name}`, new StackClass(new App(), name), emf));
}

const sum = (lines: CostLine[]) => lines.reduce((n, l) => n + l.monthly, 0);
const usd = (n: number) => `$${n.toFixed(2)}`;

function main(): void {
  const emf = canaryRecord();
  const costs = [...constructCosts(emf), ...(process.argv.includes('--constructs-only') ? [] : exampleCosts(emf))];
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(costs.map((c) => ({ ...c, monitoringTotal: sum(c.monitoring), serviceTotal: sum(c.service) })), null, 2));
    return;
  }
  console.log('Monthly cost at defaults, one probe a minute, us-east-1 list prices (scripts/cost/prices.ts).');
  console.log('FailureClass metrics are billed only in the hours a class occurs: $0.30/730 = $0.0004 per class-hour.\n');
  for (const c of costs) {
    console.log(`${c.name}: ${c.resources} CloudFormation resources (${Math.floor(500 / c.resources)} fit in one stack)`);
    for (const l of c.monitoring) console.log(`  monitoring  ${usd(l.monthly).padStart(7)}  ${l.item}`);
    console.log(`  monitoring  ${usd(sum(c.monitoring)).padStart(7)}  TOTAL`);
    for (const l of c.service) console.log(`  service     ${usd(l.monthly).padStart(7)}  ${l.item}`);
    if (c.service.length) console.log(`  service     ${usd(sum(c.service)).padStart(7)}  TOTAL`);
    console.log('');
  }
  // The front doors a service kind may stand behind, priced beside it by client request volume.
  console.log('Front doors, monthly, as a function of client requests a month (the canary\'s share apart):\n');
  for (const clientRequests of CLIENT_REQUEST_VOLUMES) {
    for (const door of frontDoorCosts(clientRequests)) {
      console.log(`${door.name} at ${clientRequests.toLocaleString('en-US')} client requests a month:`);
      for (const l of door.lines) console.log(`  front door  ${usd(l.monthly).padStart(7)}  ${l.item}`);
      console.log(`  front door  ${usd(sum(door.lines)).padStart(7)}  TOTAL`);
    }
    console.log('');
  }
  // McpToolMetrics: its default filters publish only for client tool calls (the canary at
  // defaults calls no tool), so the templates above price its alarm only.
  console.log('Per-tool visibility (`toolMetrics`), monthly:');
  console.log(`  default     ${usd(2 * PRICES.customMetricMonth).padStart(7)}  ToolCalls and ToolDuration while clients call tools (ToolServerErrors only in hours with errors; nothing without client traffic or without records)`);
  for (const option of toolMetricsCosts()) {
    console.log(`${option.name}:`);
    for (const l of option.lines) console.log(`  per-tool    ${usd(l.monthly).padStart(7)}  ${l.item}`);
    console.log(`  per-tool    ${usd(sum(option.lines)).padStart(7)}  TOTAL`);
  }
}

if (require.main === module) main();
