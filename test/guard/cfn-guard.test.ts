/**
 * The AWS Control Tower proactive controls (the Guard rules @cdklabs/cdk-validator-cfnguard
 * bundles) over every example stack and a stack of every construct at its defaults. A finding
 * on a resource the library creates is either fixed or listed, with its reason, in
 * by-design.json; finding-counts.json holds each stack's ceiling, so the test fails when a change
 * adds a finding (lower the ceiling when one goes away). Counts: 273 library findings (299 in
 * all) before the Guard-rule fixes, 206 (232) after.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { GuardFinding, guardApp, guardFindings } from './guard-findings';
import { McpCanary } from '../../src';
import { DefaultsStack } from '../support/defaults-stack';
import { exampleStackClasses } from '../support/example-stacks';

const BY_DESIGN: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, 'by-design.json'), 'utf8'));
const COUNTS: Record<string, number> = JSON.parse(fs.readFileSync(path.join(__dirname, 'finding-counts.json'), 'utf8'));

const STACKS: Array<[string, new (scope: App, id: string) => Stack]> = [...exampleStackClasses(), ['DefaultsStack', DefaultsStack]];

let findings: GuardFinding[];
let allFindings: GuardFinding[];

beforeAll(() => {
  const app = guardApp();
  for (const [name, StackClass] of STACKS) {
    new StackClass(app, name);
  }
  allFindings = guardFindings(app);
  findings = allFindings.filter((f) => f.library);
}, 300_000);

/** Library findings per stack and rule: `{ stack: { rule: count } }`. */
function countsByStackAndRule(): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const f of findings) {
    result[f.stack] ??= {};
    result[f.stack][f.rule] = (result[f.stack][f.rule] ?? 0) + 1;
  }
  return result;
}

test('the report, per stack and rule (for the record)', () => {
  // eslint-disable-next-line no-console
  console.log(JSON.stringify({ all: allFindings.length, library: findings.length, perStack: countsByStackAndRule() }, undefined, 1));
  expect(findings.length).toBeGreaterThan(0);
});

test('every finding on a library resource is fixed or listed in by-design.json with a reason', () => {
  const unlisted = findings.filter((f) => !BY_DESIGN[f.rule]).map((f) => `${f.rule} (${f.description}): ${f.constructPath}`);
  expect(unlisted).toEqual([]);
});

test('by-design.json gives every rule a reason, and names the rules that no longer fire', () => {
  const firing = new Set(findings.map((f) => f.rule));
  const stale = Object.keys(BY_DESIGN).filter((rule) => !firing.has(rule));
  if (stale.length > 0) {
    // Not a failure: work in progress elsewhere may fix a rule before its entry goes.
    // eslint-disable-next-line no-console
    console.log(`by-design.json lists rules that no longer fire; remove them: ${stale.join(', ')}`);
  }
  for (const [rule, reason] of Object.entries(BY_DESIGN)) {
    expect(`${rule}: ${reason}`).toMatch(new RegExp(`^${rule.replace(/\./g, '\\.')}: .{20,}`));
  }
});

test.each(STACKS.map(([name]) => name))('%s has no more findings than finding-counts.json records', (name) => {
  const count = findings.filter((f) => f.stack === name).length;
  // A new stack needs its count recorded; a fix may lower the record (so it cannot grow back unseen).
  expect(COUNTS[name]).toBeDefined();
  expect({ stack: name, count }).toEqual({ stack: name, count: Math.min(count, COUNTS[name]) });
});

test('the Guard rules do flag a finding, and only library resources count', () => {
  const app = guardApp();
  const stack = new Stack(app, 'Bad');
  const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'M' });
  new cloudwatch.Alarm(stack, 'NoAction', { metric, threshold: 1, evaluationPeriods: 1 });
  new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'bad' });
  const all = guardFindings(app);
  const alarmRule = all.filter((f) => f.rule === 'CT.CLOUDWATCH.PR.1');
  expect(alarmRule.find((f) => f.constructPath === 'Bad/NoAction/Resource')).toMatchObject({ library: false });
  expect(all.some((f) => f.library && f.constructPath.startsWith('Bad/Canary/'))).toBe(true);
}, 120_000);
