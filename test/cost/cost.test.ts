import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { canaryRecord, constructCosts, costOf, StackCost } from '../../scripts/cost/cost';
import { CANARY_REQUESTS_PER_MONTH, CLIENT_REQUEST_VOLUMES, defaultWebAclRules, frontDoorCosts, FrontDoorCost } from '../../scripts/cost/front-door';
import { PRICES } from '../../scripts/cost/prices';
import { McpExpressService, McpWebAcl } from '../../src';

/**
 * The cost budget of the design (at most $2.00 of monitoring per endpoint-month at defaults, one
 * probe a minute), computed by `npm run cost` from the synthesized templates, and the cost tables
 * of docs/cost.md and of the README (to choose a service kind), which must quote the script's figures.
 */
const costs = constructCosts(canaryRecord());
const total = (c: StackCost) => c.monitoring.reduce((n, l) => n + l.monthly, 0);
const serviceTotal = (c: StackCost) => c.service.reduce((n, l) => n + l.monthly, 0);
const byName = (name: string) => costs.find((c) => c.name === name)!;

describe('npm run cost', () => {
  test.each(['McpLambdaService', 'McpFargateService', 'McpAppRunnerService', 'McpWebFunctionService', 'McpExpressService', 'McpServiceMonitoring'])(
    '%s at defaults costs at most $2.00 of monitoring a month', (name) => {
      expect(total(byName(name))).toBeLessThanOrEqual(2.0);
    });

  test('a healthy canary publishes exactly two custom metrics (ProbeSuccess, ProbeLatency)', () => {
    expect(canaryRecord().metrics).toBe(2);
  });

  test('15 default McpLambdaService fit in one stack (500 resources; 8 of each are its toolMetrics filters and saved queries)', () => {
    expect(byName('McpLambdaService').resources * 15).toBeLessThanOrEqual(500);
  });

  test('the cost table of docs/cost.md quotes the script\'s figures', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cost.md'), 'utf8');
    for (const c of costs) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${c.name}\``));
      expect(row).toBeDefined();
      const cells = row!.split(' | ');
      expect({ name: c.name, monitoring: cells[1] }).toEqual({ name: c.name, monitoring: `$${total(c).toFixed(2)}` });
      if (c.service.length > 0) {
        // The "service itself" cell starts with the script's total; its breakdown follows in parentheses.
        expect({ name: c.name, service: cells[3].split(' ')[0] }).toEqual({ name: c.name, service: `$${serviceTotal(c).toFixed(2)}` });
      }
      expect(row).toContain(`| ${c.resources} |`);
    }
  });

  test('the README table to choose a service kind quotes the script\'s figures for every kind and variant', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Choose a service kind\n');
    const choose = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const kinds = ['McpLambdaService', 'McpWebFunctionService', 'McpFargateService', 'McpExpressService', 'McpAppRunnerService'];
    for (const kind of kinds) {
      const row = choose.split('\n').find((line) => line.startsWith(`| \`${kind}\``));
      expect({ kind, row: row !== undefined }).toEqual({ kind, row: true });
      const costCell = row!.split(' | ').pop()!;
      // Every priced variant of the kind (the default and, e.g., natGateways: 0) is quoted in its cell.
      for (const c of costs.filter((x) => x.name.split(' ')[0] === kind)) {
        if (c.service.length > 0) expect({ name: c.name, costCell }).toEqual({ name: c.name, costCell: expect.stringContaining(`$${serviceTotal(c).toFixed(2)}`) });
        if (c.name === kind) expect({ name: c.name, costCell }).toEqual({ name: c.name, costCell: expect.stringContaining(`+ $${total(c).toFixed(2)}`) });
      }
    }
  });

  test('the NAT-less network choices cost less than the defaults they replace', () => {
    expect(serviceTotal(byName('McpFargateService { natGateways: 0 }'))).toBeLessThan(serviceTotal(byName('McpFargateService')) - 25);
    expect(serviceTotal(byName('McpExpressService'))).toBeLessThan(serviceTotal(byName('McpExpressService { publicEndpoint: false }')) - 20);
  });

  test('Express Mode\'s managed load balancer is priced, and the public IPv4 addresses of each choice are counted', () => {
    const items = (name: string) => byName(name).service.map((l) => l.item);
    expect(items('McpExpressService')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^1 Express Mode managed Application Load Balancer\(s\), 1 LCU, for 1 Express service/),
      '4 public IPv4 address(es): 2 Express load balancer, 2 task',
    ]));
    expect(items('McpExpressService').some((i) => /NAT gateway/.test(i))).toBe(false);
    expect(items('McpFargateService')).toContain('3 public IPv4 address(es): 1 Elastic IP, 2 load balancer');
    expect(items('McpFargateService { natGateways: 0 }')).toContain('4 public IPv4 address(es): 2 load balancer, 2 task');
  });

  test('Express services in one VPC share one managed load balancer; each in its own VPC has its own', () => {
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');
    const albLine = (build: (stack: Stack) => void) => {
      const stack = new Stack(new App(), 'Express');
      build(stack);
      return costOf('x', stack, canaryRecord()).service.find((l) => /managed Application Load Balancer/.test(l.item))?.item;
    };
    expect(albLine((stack) => {
      const vpc = new ec2.Vpc(stack, 'Net', { maxAzs: 2, natGateways: 1 });
      new McpExpressService(stack, 'A', { image, vpc, serviceName: 'a' });
      new McpExpressService(stack, 'B', { image, vpc, serviceName: 'b' });
    })).toMatch(/^1 Express Mode managed Application Load Balancer\(s\), 1 LCU, for 2 Express service/);
    expect(albLine((stack) => {
      new McpExpressService(stack, 'A', { image, serviceName: 'a' });
      new McpExpressService(stack, 'B', { image, serviceName: 'b' });
    })).toMatch(/^2 Express Mode managed Application Load Balancer\(s\), 1 LCU, for 1 \+ 1 Express service/);
  });
});

describe('npm run cost: front doors', () => {
  const doorTotal = (door: FrontDoorCost) => door.lines.reduce((n, l) => n + l.monthly, 0);
  const door = (clientRequests: number, prefix: string) => frontDoorCosts(clientRequests).find((d) => d.name.startsWith(prefix))!;

  test('the canary sends 3 requests a probe, one probe a minute over the 730 hours of a billing month', () => {
    expect(CANARY_REQUESTS_PER_MONTH).toBe(3 * 60 * 730);
  });

  test('the web ACL\'s rules are counted in the synthesized McpWebAcl, not copied', () => {
    const stack = new Stack(new App(), 'Rules');
    const acl = new McpWebAcl(stack, 'WebAcl');
    expect(defaultWebAclRules()).toBe(acl.ruleNames.length);
    expect(door(0, 'web ACL').lines.find((l) => /rules and AWS managed rule groups/.test(l.item))!.monthly).toBe(acl.ruleNames.length * PRICES.wafRuleMonth);
  });

  test('each request-priced front door shows the canary\'s share apart, the same at every volume', () => {
    for (const prefix of ['web ACL', 'CloudFront', 'API Gateway']) {
      const shares = CLIENT_REQUEST_VOLUMES.map((v) => door(v, prefix).lines.find((l) => /the canary's 131,400 requests/.test(l.item))!.monthly);
      expect(shares[0]).toBeGreaterThan(0);
      expect(new Set(shares).size).toBe(1);
    }
  });

  test('API Gateway REST is $3.50 per million requests, the canary\'s included', () => {
    expect(doorTotal(door(1_000_000, 'API Gateway'))).toBeCloseTo(((1_000_000 + CANARY_REQUESTS_PER_MONTH) / 1e6) * PRICES.apiGatewayRestRequestMillion, 10);
  });

  test('the web ACL is $5 plus $1 a rule plus $0.60 per million requests', () => {
    const rules = defaultWebAclRules();
    expect(doorTotal(door(10_000_000, 'web ACL'))).toBeCloseTo(
      PRICES.wafWebAclMonth + rules * PRICES.wafRuleMonth + ((10_000_000 + CANARY_REQUESTS_PER_MONTH) / 1e6) * PRICES.wafRequestMillion, 10);
  });

  test('every front door costs more with more client requests or the same (zone and certificate are flat)', () => {
    for (const d of frontDoorCosts(0)) {
      const totals = CLIENT_REQUEST_VOLUMES.map((v) => doorTotal(door(v, d.name)));
      expect([...totals].sort((a, b) => a - b)).toEqual(totals);
    }
    expect(doorTotal(door(10_000_000, 'Route 53'))).toBe(PRICES.route53HostedZoneMonth);
    expect(doorTotal(door(10_000_000, 'ACM'))).toBe(0);
  });

  test('the front-door table of docs/cost.md quotes the script\'s figures at every volume', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cost.md'), 'utf8');
    for (const d of frontDoorCosts(0)) {
      const row = page.split('\n').find((line) => line.startsWith(`| ${d.name} |`));
      expect({ name: d.name, row: row !== undefined }).toEqual({ name: d.name, row: true });
      const cells = row!.split(' | ');
      const quoted = CLIENT_REQUEST_VOLUMES.map((_, i) => cells[1 + i]);
      expect({ name: d.name, quoted }).toEqual({ name: d.name, quoted: CLIENT_REQUEST_VOLUMES.map((v) => `$${doorTotal(door(v, d.name)).toFixed(2)}`) });
    }
  });
});
