import { ValidationErrors } from '../../private/validation';
import { McpFrontDoorOptions } from '../front-door-options';

/** How a kind's front door is named in the domain rules' messages. */
export interface DomainCheckTexts {
  /** The host `url` would use without `domainName`, e.g. `https://<load balancer DNS name>`. */
  readonly defaultHost: string;
  /** Where to point DNS without `domainZone`, e.g. `the load balancer`. */
  readonly dnsTarget: string;
}

/**
 * The rules of `domainName`, `domainZone` and `certificate` every kind shares: a zone or a
 * certificate needs a domain name, and a domain name needs a zone (a record and a certificate
 * are created) or a certificate (the user manages DNS). Problems go into `errors` under the ids
 * `cdk-mcp:domainZoneWithoutDomainName`, `cdk-mcp:certificateWithoutDomainName` and
 * `cdk-mcp:domainNameWithoutZoneOrCertificate`.
 */
export function checkDomainOptions(errors: ValidationErrors, props: McpFrontDoorOptions, texts: DomainCheckTexts): void {
  errors.check(
    'cdk-mcp:domainZoneWithoutDomainName',
    props.domainZone === undefined || props.domainName !== undefined,
    'domainZone is set but domainName is not: pass the domain name to create in the zone (e.g. mcp.example.com), or remove domainZone.',
  );
  errors.check(
    'cdk-mcp:certificateWithoutDomainName',
    props.certificate === undefined || props.domainName !== undefined,
    `certificate is set but domainName is not: url and the canary would use ${texts.defaultHost}, which no certificate covers, so every client and ` +
      'every probe fails TLS verification (the canary reports TLS_ERROR every minute). Pass domainName, the name the certificate covers (e.g. mcp.example.com; ' +
      `with domainZone an alias record is created, else point your DNS at ${texts.dnsTarget}), or remove certificate.`,
  );
  errors.check(
    'cdk-mcp:domainNameWithoutZoneOrCertificate',
    props.domainName === undefined || props.domainZone !== undefined || props.certificate !== undefined,
    `domainName ${props.domainName} needs domainZone (a record and a certificate are created) or certificate (a certificate for ${props.domainName}; you manage DNS).`,
  );
}
