import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ValidationErrors } from '../../private/validation';
import type { McpServerCodeConfig } from '../server-code';

/**
 * Whether `runtime` can start the server's code (rules `cdk-mcp:runtimeWithImage`,
 * `cdk-mcp:osOnlyRuntime`, `cdk-mcp:entryNeedsNodeRuntime`). The Web Adapter
 * starts the start script through the runtime's wrapper-script hook (`AWS_LAMBDA_EXEC_WRAPPER`):
 * "Wrapper scripts are supported on all native Lambda runtimes. Wrapper scripts are not supported
 * on OS-only runtimes (the provided runtime family)."
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html#runtime-wrapper)
 */
export function checkRuntime(errors: ValidationErrors, code: McpServerCodeConfig, runtimeProp: lambda.Runtime | undefined): void {
  if (code.isContainerImage) {
    errors.check('cdk-mcp:runtimeWithImage', runtimeProp === undefined,
      'runtime applies to zip code only: a container image brings its own runtime. Remove runtime, or use McpServerCode.fromDirectory/fromEntry.');
    return;
  }
  const runtime = runtimeProp ?? lambda.Runtime.NODEJS_24_X;
  if (runtime.family === lambda.RuntimeFamily.OTHER) {
    errors.check('cdk-mcp:osOnlyRuntime', false, `runtime ${runtime.name} is an OS-only runtime, which runs no wrapper script (AWS_LAMBDA_EXEC_WRAPPER), so the Lambda Web Adapter `
      + 'would never start the server (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html#runtime-wrapper). '
      + 'Use a managed runtime (Node.js, Python, ...) whose interpreter the start script execs, or a container image (McpServerCode.fromImageAsset).');
    return;
  }
  errors.check('cdk-mcp:entryNeedsNodeRuntime', code.runtimeFamily === undefined || runtime.family === code.runtimeFamily,
    `runtime ${runtime.name} cannot start McpServerCode.fromEntry code: its run.sh execs node, which only Node.js runtimes have. `
      + 'Remove runtime (the default is lambda.Runtime.NODEJS_24_X) or pick another Node.js runtime; for a Python server, use '
      + 'McpServerCode.fromDirectory with a run.sh that execs python3 and a Python runtime, or a container image (see docs/python.md).');
}
