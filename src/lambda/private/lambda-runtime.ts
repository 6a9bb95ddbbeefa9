import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { McpServerCodeConfig } from '../server-code';

/**
 * Why `runtime` cannot start the server's zip code, or `undefined` when it can. The Web Adapter
 * starts the start script through the runtime's wrapper-script hook (`AWS_LAMBDA_EXEC_WRAPPER`):
 * "Wrapper scripts are supported on all native Lambda runtimes. Wrapper scripts are not supported
 * on OS-only runtimes (the provided runtime family)."
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html#runtime-wrapper)
 */
export function zipRuntimeProblem(code: McpServerCodeConfig, runtime: lambda.Runtime): string | undefined {
  if (code.isContainerImage) {
    return undefined;
  }
  if (runtime.family === lambda.RuntimeFamily.OTHER) {
    return `runtime ${runtime.name} is an OS-only runtime, which runs no wrapper script (AWS_LAMBDA_EXEC_WRAPPER), so the Lambda Web Adapter `
      + 'would never start the server (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html#runtime-wrapper). '
      + 'Use a managed runtime (Node.js, Python, ...) whose interpreter the start script execs, or a container image (McpServerCode.fromImageAsset).';
  }
  if (code.runtimeFamily !== undefined && runtime.family !== code.runtimeFamily) {
    return `runtime ${runtime.name} cannot start McpServerCode.fromEntry code: its run.sh execs node, which only Node.js runtimes have. `
      + 'Remove runtime (the default is lambda.Runtime.NODEJS_24_X) or pick another Node.js runtime; for a Python server, use '
      + 'McpServerCode.fromDirectory with a run.sh that execs python3 and a Python runtime, or a container image (see docs/python.md).';
  }
  return undefined;
}
