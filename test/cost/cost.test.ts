import * as fs from 'fs';
import * as path from 'path';
import { canaryRecord, constructCosts, StackCost } from '../../scripts/cost/cost';

/**
 * The cost budget of the design (at most $2.00 of monitoring per endpoint-month at defaults, one
 * probe a minute), computed by `npm run cost` from the synthesized templates, and the README's
 * cost table, which must quote the script's figures.
 */
const costs = constructCosts(canaryRecord());
const total = (c: StackCost) => c.monitoring.reduce((n, l) => n + l.monthly, 0);
const byName = (name: string) => costs.find((c) => c.name === name)!;

describe('npm run cost', () => {
  test.each(['McpLambdaService', 'McpFargateService', 'McpAppRunnerService', 'McpWebFunctionService', 'McpExpressService'])(
    '%s at defaults costs at most $2.00 of monitoring a month', (name) => {
      expect(total(byName(name))).toBeLessThanOrEqual(2.0);
    });

  test('a healthy canary publishes exactly two custom metrics (ProbeSuccess, ProbeLatency)', () => {
    expect(canaryRecord().metrics).toBe(2);
  });

  test('20 default McpLambdaService fit in one stack (500 resources)', () => {
    expect(byName('McpLambdaService').resources * 20).toBeLessThanOrEqual(500);
  });

  test('the README cost table quotes the script\'s figures', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const c of costs) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${c.name}\``));
      expect(row).toBeDefined();
      expect(row).toContain(`$${total(c).toFixed(2)}`);
      expect(row).toContain(`| ${c.resources} |`);
    }
  });
});
