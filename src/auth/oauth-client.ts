import { Token } from 'aws-cdk-lib';
import { ValidationErrors } from '../private/validation';

/** Options of {@link McpOAuthClient.custom}. */
export interface McpOAuthClientOptions {
  /** A name for messages and docs, e.g. `my-agent`. */
  readonly name: string;

  /** Exact redirect URIs the client uses (Amazon Cognito matches them exactly: no wildcards, no variable ports). */
  readonly callbackUrls: string[];

  /**
   * URL patterns of the client's Client ID Metadata Documents (CIMD), `*` matching any run of
   * characters, e.g. `https://agent.example.com/oauth/*.json`.
   *
   * @default - none: the client registers dynamically or uses a client id you give it
   */
  readonly clientMetadataUrlPatterns?: string[];
}

/**
 * An MCP client an authorization server lets in: its redirect URIs and the URLs of its Client
 * ID Metadata Documents. Opt-in: an {@link McpCognitoAuthorizationServer} admits none of them
 * unless listed in its `clients`.
 */
export class McpOAuthClient {
  /**
   * Claude (claude.ai, Claude Desktop, the mobile apps): redirect URIs
   * `https://claude.ai/api/mcp/auth_callback` and `https://claude.com/api/mcp/auth_callback`
   * (Anthropic says it may move to claude.com), and its Client ID Metadata Document
   * `https://claude.ai/oauth/mcp-oauth-client-metadata`. The document URL comes from AWS's
   * sample, not Anthropic's docs: UNCONFIRMED.
   *
   * @see https://support.anthropic.com/en/articles/11503834-building-custom-connectors-via-remote-mcp-servers
   * @see https://github.com/aws-samples/sample-serverless-architecture-cimd-with-cognito
   */
  public static claude(): McpOAuthClient {
    return new McpOAuthClient('claude',
      ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'],
      ['https://claude.ai/oauth/mcp-oauth-client-metadata']);
  }

  /**
   * ChatGPT, for one connector: redirect URI `https://chatgpt.com/connector/oauth/<callbackId>`
   * and Client ID Metadata Document `https://chatgpt.com/oauth/<callbackId>/client.json`, where
   * `callbackId` is the id ChatGPT shows when you create the connector. The URL shapes come from
   * AWS's sample: UNCONFIRMED.
   *
   * @see https://developers.openai.com/apps-sdk/build/auth
   * @see https://github.com/aws-samples/sample-serverless-architecture-cimd-with-cognito
   * @param callbackId the connector's callback id, letters, digits, `-` and `_`
   */
  public static chatGpt(callbackId: string): McpOAuthClient {
    const errors = new ValidationErrors('McpOAuthClient.chatGpt');
    errors.check('cdk-mcp:oauthChatGptCallbackId', Token.isUnresolved(callbackId) || /^[A-Za-z0-9_-]+$/.test(callbackId),
      `callbackId is ${JSON.stringify(callbackId)}: give the id ChatGPT shows for the connector (letters, digits, - and _), not a URL.`);
    errors.throwIfAny();
    return new McpOAuthClient('chatgpt',
      [`https://chatgpt.com/connector/oauth/${callbackId}`],
      [`https://chatgpt.com/oauth/${callbackId}/client.json`]);
  }

  /** Any other client: its exact redirect URIs and, optionally, its CIMD URL patterns. */
  public static custom(options: McpOAuthClientOptions): McpOAuthClient {
    const errors = new ValidationErrors('McpOAuthClient.custom');
    const urls = [...options.callbackUrls, ...options.clientMetadataUrlPatterns ?? []];
    for (const url of urls) {
      errors.check('cdk-mcp:oauthClientUrl', Token.isUnresolved(url) || /^(https:\/\/[^\s#]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/[^\s#]*)?)$/.test(url),
        `${JSON.stringify(url)} is not an https URL (or an http loopback redirect URI): OAuth 2.1 allows only those. Fix the URL of client ${JSON.stringify(options.name)}.`);
    }
    errors.throwIfAny();
    return new McpOAuthClient(options.name, [...options.callbackUrls], [...options.clientMetadataUrlPatterns ?? []]);
  }

  private constructor(
    /** The client's name. */
    public readonly name: string,
    /** Its exact redirect URIs. */
    public readonly callbackUrls: string[],
    /** URL patterns of its Client ID Metadata Documents. */
    public readonly clientMetadataUrlPatterns: string[],
  ) {}
}
