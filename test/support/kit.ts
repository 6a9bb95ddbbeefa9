/**
 * The shared test kit for construct tests: one way to make a stack, read a template and check
 * warnings, instead of helpers rewritten per file.
 */
import { Annotations as CoreAnnotations, App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

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

/** The environment variables of the one MCP canary function in a template. */
export function canaryEnvironment(template: Template): Record<string, any> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('^MCP protocol canary') },
  }));
  expect(functions).toHaveLength(1);
  return (functions[0] as { Properties: { Environment: { Variables: Record<string, any> } } }).Properties.Environment.Variables;
}

/** Every warning text of a stack; only those of this library (`cdk-mcp:` ids) with `ownOnly`. */
export function warningsOf(stack: Stack, ownOnly = false): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', ownOnly ? Match.stringLikeRegexp('cdk-mcp:') : Match.anyValue())
    .map((w) => String(w.entry.data));
}

/** Acknowledge library warnings on a scope, as a user would (the ids are the public contract). */
export function acknowledge(stack: Stack, ...ids: string[]): void {
  for (const id of ids) CoreAnnotations.of(stack).acknowledgeWarning(id, 'acknowledged in a test');
}
