/**
 * The contract between the service constructs (synth time) and the start code they add in front
 * of the user's server (run time): the Web Functions start file and the Lambda start wrapper, which
 * give the server `PORT` and resolve `secrets` into environment variables before it starts.
 *
 * Internal: not exported from the package's public API. Keep this file free of aws-cdk-lib
 * imports: it is bundled into the start code.
 */

/** Environment variable names the constructs write and the start code reads. */
export const START_ENV = {
  /**
   * JSON object `{ "<NAME>": "<secret ARN>[:<json key>:<version stage>:<version id>]" }`: the
   * secrets to resolve into `<NAME>`, in the `valueFrom` form of ECS container secrets. ARNs only,
   * never values.
   */
  SECRETS: 'CDK_MCP_SECRETS',
  /** The user's server module the Web Functions start file loads, relative to it. */
  SERVER_ENTRY: 'CDK_MCP_SERVER_ENTRY',
  /**
   * The Secrets Manager endpoint, as the AWS SDKs read it (service-specific endpoint variable,
   * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html). Unset in
   * production: the start code then uses the Regional endpoint.
   */
  SECRETS_MANAGER_ENDPOINT: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  /**
   * Where a Web Function's server must listen, `host:port`
   * (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-runtimes.html).
   */
  WEB_FUNCTION_ENDPOINT: 'AWS_LAMBDA_HTTP_ENDPOINT',
} as const;

/** The file name of the Web Functions start file in the package (`AWS_LAMBDA_NODEJS_ENTRYPOINT`). */
export const WEB_FUNCTION_START_FILE = 'cdk-mcp-start.js';

/** Where the Lambda start layer puts its files (layers are extracted to /opt). */
export const LAMBDA_START_DIR = '/opt/cdk-mcp';

/** The Lambda start wrapper (`AWS_LAMBDA_EXEC_WRAPPER`), which ends by exec-ing the Web Adapter's. */
export const LAMBDA_START_WRAPPER = `${LAMBDA_START_DIR}/start.sh`;

/** The prefix of every log line of the start code. */
export const START_LOG_PREFIX = 'cdk-mcp start:';
