/**
 * The shared test kit for construct tests: one way to make a stack, read a template and check
 * warnings, instead of helpers rewritten per file.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { McpServiceMonitoringProps } from '../../src';
import { McpServiceBase } from '../../src/service';

/** A stack in a fresh app (env-agnostic unless a region or account is given). */
export function testStack(env?: { region?: string; account?: string }): Stack {
  return new Stack(new App(), 'Stack', env ? { env } : undefined);
}

/** CloudFormation resources of one type in a template, by logical id. */
export type Resources = Record<string, { Properties: Record<string, any> }>;

/** The properties of the one resource of `type` whose logical id starts with `idPrefix` (fails unless exactly one). */
export function onlyResource(template: Template, type: string, idPrefix = ''): Record<string, any> {
  const matches = Object.entries(template.findResources(type) as Resources).filter(([id]) => id.startsWith(idPrefix));
  expect(matches.map(([id]) => id)).toHaveLength(1);
  return matches[0][1].Properties;
}

/** The alarm whose logical id starts with `idPrefix` (fails unless exactly one). */
export function alarmById(template: Template, idPrefix: string): Record<string, any> {
  return onlyResource(template, 'AWS::CloudWatch::Alarm', idPrefix);
}

/** The properties of the one MCP canary function in a template (fails unless exactly one). */
export function canaryFunction(template: Template): Record<string, any> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('^MCP protocol canary') },
  }));
  expect(functions).toHaveLength(1);
  return (functions[0] as { Properties: Record<string, any> }).Properties;
}

/** The environment variables of the one MCP canary function in a template. */
export function canaryEnvironment(template: Template): Record<string, any> {
  return canaryFunction(template).Environment.Variables;
}

/** A construct made in a fresh {@link testStack}, with the stack and its template. */
export interface Synthesized<T> {
  readonly stack: Stack;
  readonly service: T;
  readonly template: Template;
}

/** Makes one construct in a fresh {@link testStack} and synthesizes the template. */
export function synthService<T>(make: (stack: Stack) => T): Synthesized<T> {
  const stack = testStack();
  const service = make(stack);
  return { stack, service, template: Template.fromStack(stack) };
}

/** Every warning text of a stack; only those of this library (`cdk-mcp:` ids) with `ownOnly`. */
export function warningsOf(stack: Stack, ownOnly = false): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', ownOnly ? Match.stringLikeRegexp('cdk-mcp:') : Match.anyValue())
    .map((w) => String(w.entry.data));
}

/**
 * Props with the given opt-in alarms turned on (keeping any threshold a test sets), for tests of
 * the alarms themselves; an explicit `enabled: false` stays off. The default set is tested apart.
 */
export function withOptInAlarms<T extends object>(props: T, keys: readonly string[]): T {
  const out = { ...props } as Record<string, unknown>;
  for (const key of keys) {
    const given = (props as unknown as Record<string, { enabled?: boolean } | undefined>)[key];
    if (given?.enabled !== false) out[key] = { enabled: true, ...given };
  }
  return out as unknown as T;
}

/** The opt-in alarms of the shared monitoring (canary errors; the certificate alarm needs detailed metrics). */
export const MONITORING_OPT_IN = ['canaryErrorsAlarm'] as const;
/** The opt-in Lambda platform alarms. */
export const LAMBDA_OPT_IN = ['durationAlarm', 'memoryAlarm', 'timeoutsAlarm', 'outOfMemoryAlarm'] as const;
/** The opt-in Fargate platform alarms. */
export const FARGATE_OPT_IN = ['cpuAlarm', 'memoryAlarm', 'elb5xxAlarm', 'unhealthyHostsAlarm', 'targetResponseTimeAlarm', 'rejectedConnectionsAlarm', 'fatalErrorsAlarm'] as const;
/** The opt-in App Runner platform alarms. */
export const APP_RUNNER_OPT_IN = ['latencyAlarm', 'cpuAlarm', 'memoryAlarm'] as const;
/** The opt-in Web Function platform alarms. */
export const WEB_FUNCTION_OPT_IN = ['outOfMemoryAlarm', 'fileDescriptorsAlarm'] as const;
/** The opt-in Express platform alarms. */
export const EXPRESS_OPT_IN = ['cpuAlarm', 'memoryAlarm'] as const;

/** A {@link Synthesized} service with the props it passed to its monitoring. */
export interface SynthesizedWithMonitoring<T> extends Synthesized<T> {
  readonly monitoring: McpServiceMonitoringProps;
}

/**
 * A service made by `make` in a fresh stack of `region`, with the props it passed to its
 * monitoring (`attachMonitoring`): what the canary probes, how, and what the deploy gate waits for.
 */
export function synthWithMonitoring<T>(region: string, make: (stack: Stack) => T): SynthesizedWithMonitoring<T> {
  const stack = new Stack(new App(), 'Stack', { env: { region } });
  const attach = jest.spyOn(McpServiceBase.prototype as any, 'attachMonitoring');
  try {
    const service = make(stack);
    const monitoring = attach.mock.calls[0][0] as McpServiceMonitoringProps;
    return { stack, service, monitoring, template: Template.fromStack(stack) };
  } finally {
    attach.mockRestore();
  }
}
