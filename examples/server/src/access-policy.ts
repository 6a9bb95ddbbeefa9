/**
 * DNS-rebinding protection: which `Host` and `Origin` headers may reach `/mcp`.
 *
 * The default host allow-list is the loopback names plus the domain shapes of the AWS front
 * doors this server is deployed behind, so it works unchanged behind a Lambda Function URL, an
 * ALB, App Runner, API Gateway or CloudFront. Custom domains are added with `MCP_ALLOWED_HOSTS`.
 * Requests without an `Origin` header (MCP clients, probes, curl) pass the origin check;
 * browsers must come from an allow-listed origin.
 */

/** The outcome of checking one request's headers. */
export type AccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: 'host' | 'origin'; readonly message: string };

interface HostRule {
  readonly description: string;
  readonly matches: (hostname: string) => boolean;
}

const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The AWS front doors the server is deployed behind, matched by their generated domain names. */
const AWS_FRONT_DOORS: readonly HostRule[] = [
  { description: '*.lambda-url.<region>.on.aws (Lambda Function URL)', matches: (h) => /^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws$/.test(h) },
  { description: '*.elb.amazonaws.com (Application Load Balancer)', matches: (h) => /^[a-z0-9.-]+\.elb\.amazonaws\.com(\.cn)?$/.test(h) },
  { description: '*.awsapprunner.com (App Runner)', matches: (h) => /^[a-z0-9.-]+\.awsapprunner\.com$/.test(h) },
  { description: '*.execute-api.<region>.amazonaws.com (API Gateway)', matches: (h) => /^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(h) },
  { description: '*.cloudfront.net (CloudFront)', matches: (h) => /^[a-z0-9.-]+\.cloudfront\.net$/.test(h) },
];

/**
 * Extracts the lower-case hostname from a `Host` header value (`name`, `name:port`,
 * `[v6]`, `[v6]:port`), without a trailing dot. Returns `undefined` for a malformed value.
 */
export function hostnameOf(hostHeader: string): string | undefined {
  const value = hostHeader.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+?)\.?(?::(\d{1,5}))?$/.exec(value);
  return match?.[1];
}

/** Decides whether a request's `Host` and `Origin` headers are allowed. */
export class AccessPolicy {
  private readonly exactHosts: ReadonlySet<string>;
  private readonly hostSuffixes: readonly string[];
  private readonly origins: ReadonlySet<string>;

  /**
   * @param allowedHosts extra host entries (`MCP_ALLOWED_HOSTS`): exact names or `*.suffix`
   * @param allowedOrigins allowed browser origins (`MCP_ALLOWED_ORIGINS`), already normalised
   */
  constructor(allowedHosts: readonly string[], allowedOrigins: readonly string[]) {
    this.exactHosts = new Set([...LOOPBACK_HOSTNAMES, ...allowedHosts.filter((h) => !h.startsWith('*.'))]);
    this.hostSuffixes = allowedHosts.filter((h) => h.startsWith('*.')).map((h) => h.slice(1));
    this.origins = new Set(allowedOrigins);
  }

  /** Whether a hostname (as returned by {@link hostnameOf}) may be served. */
  public isAllowedHostname(hostname: string): boolean {
    return this.exactHosts.has(hostname)
      || this.hostSuffixes.some((suffix) => hostname.endsWith(suffix) && hostname.length > suffix.length)
      || AWS_FRONT_DOORS.some((rule) => rule.matches(hostname));
  }

  /**
   * Whether a browser origin may call the server: an allow-listed origin, or any origin on a
   * loopback hostname (local development tools such as the MCP Inspector).
   */
  public isAllowedOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return false;
    }
    return this.origins.has(url.origin) || LOOPBACK_HOSTNAMES.includes(url.hostname);
  }

  /** Checks one request's `Host` and (optional) `Origin` headers. */
  public check(hostHeader: string | undefined, originHeader: string | undefined): AccessDecision {
    const hostname = hostHeader === undefined ? undefined : hostnameOf(hostHeader);
    if (hostname === undefined || !this.isAllowedHostname(hostname)) {
      const shown = hostHeader === undefined ? 'no Host header' : `Host ${JSON.stringify(hostHeader.slice(0, 255))}`;
      return {
        allowed: false,
        reason: 'host',
        message: `Forbidden: ${shown} is not allowed (DNS rebinding protection). `
          + `Add the hostname to MCP_ALLOWED_HOSTS (allowed by default: ${this.describeDefaults()}).`,
      };
    }
    if (originHeader !== undefined && !this.isAllowedOrigin(originHeader)) {
      return {
        allowed: false,
        reason: 'origin',
        message: `Forbidden: Origin ${JSON.stringify(originHeader.slice(0, 255))} is not allowed. `
          + 'Add it to MCP_ALLOWED_ORIGINS as scheme://host[:port].',
      };
    }
    return { allowed: true };
  }

  /** The value for `Access-Control-Allow-Origin`: the request origin when it is allowed, else `undefined`. */
  public corsOrigin(originHeader: string | undefined): string | undefined {
    return originHeader !== undefined && this.isAllowedOrigin(originHeader) ? originHeader : undefined;
  }

  private describeDefaults(): string {
    return [...LOOPBACK_HOSTNAMES, ...AWS_FRONT_DOORS.map((rule) => rule.description)].join(', ');
  }
}
