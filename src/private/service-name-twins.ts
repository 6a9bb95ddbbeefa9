import { Annotations, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ValidationErrors } from './validation';

/**
 * What makes two monitors write the same metrics: one `ServiceName` dimension in one namespace,
 * in one account and Region (CloudWatch metrics and alarms are per account and Region).
 */
export interface MetricIdentity {
  /** The `ServiceName` dimension. */
  readonly serviceName: string;
  /** The probe metrics' namespace. */
  readonly metricNamespace: string;
}

/**
 * Reports another construct of the same app that writes the same metrics as `self`
 * (`isTwin`), in the same account and Region:
 *
 * - same stack, or stacks whose account and Region are both concrete and equal: an error
 *   (`errors`), since the two surely share the metrics and each one's alarms fire for the other;
 * - stacks of one stage whose account and Region are the same unresolved values (typically two
 *   environment-agnostic stacks, which deploy wherever the CLI's credentials point, most often one
 *   account and Region): the acknowledgeable warning `cdk-mcp:serviceNameNotUnique`, since the
 *   user may deploy them to different accounts;
 * - anything else (different environments, one concrete and one agnostic, agnostic stacks of
 *   different stages, which pipelines deploy to their own environments): not compared.
 *
 * Two stacks of different apps are out of reach of synth; the `serviceName` docs say what the
 * name must be unique across.
 *
 * @param what how the twins are named in the message, e.g. `canaries`
 */
export function checkServiceNameUnique(self: IConstruct, identity: MetricIdentity, isTwin: (c: IConstruct) => boolean,
  errors: ValidationErrors, what: string): void {
  if (Token.isUnresolved(identity.serviceName) || Token.isUnresolved(identity.metricNamespace)) {
    return;
  }
  const stack = Stack.of(self);
  const twins = self.node.root.node.findAll().filter((c) => c !== self && isTwin(c));
  const fix = 'Give each service its own serviceName, unique across the account and Region (per metricNamespace), e.g. with the stage or stack name in it.';
  const same = `both ${what} write the ${identity.metricNamespace}/ProbeSuccess{ServiceName=${identity.serviceName}} metric, and each one's alarms fire for the other.`;
  for (const twin of twins) {
    const other = Stack.of(twin);
    const concrete = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
    const sameValues = other.account === stack.account && other.region === stack.region;
    if (other === stack || (concrete && sameValues)) {
      const where = other === stack ? 'in this stack' : `in stack ${other.node.path}, the same account and Region (${stack.account}, ${stack.region})`;
      // The same rule as the warning below, where synth knows both stacks share an account and Region.
      errors.check('cdk-mcp:serviceNameNotUnique', false, `serviceName '${identity.serviceName}' is already the name of ${twin.node.path} ${where}: ${same} ${fix}`);
      return;
    }
    if (!concrete && sameValues && Stage.of(other) === Stage.of(stack)) {
      Annotations.of(self).addWarningV2('cdk-mcp:serviceNameNotUnique',
        `serviceName '${identity.serviceName}' is already the name of ${twin.node.path} (stack ${other.node.path}); both stacks are environment-agnostic, `
        + `so they deploy to the account and Region the CLI points at, most often the same one: then ${same} ${fix} `
        + 'Acknowledge this warning if the two stacks deploy to different accounts or Regions.');
      return;
    }
  }
}
