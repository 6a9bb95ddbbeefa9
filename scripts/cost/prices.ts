/**
 * The one price table of `npm run cost`: AWS list prices in us-east-1, in USD, read from the
 * public pricing pages on 2026-12-01. Other regions differ; the structure of the bill does not.
 */
export const PRICES = {
  /** https://aws.amazon.com/cloudwatch/pricing/ (metrics: first 10,000 metrics, per metric-month, prorated by the hour). */
  customMetricMonth: 0.30,
  /** Same page: standard-resolution alarm, per alarm metric per month (a metric-math alarm pays per metric it reads). */
  alarmMetricMonth: 0.10,
  /** Same page: composite alarm, per alarm per month. */
  compositeAlarmMonth: 0.50,
  /** Same page: dashboard per month (beyond the 3 free dashboards). */
  dashboardMonth: 3.00,
  /** Same page: logs ingestion (standard class) per GB. */
  logIngestGb: 0.50,
  /** Same page: logs storage per GB-month (archived). */
  logStoreGbMonth: 0.03,
  /** https://aws.amazon.com/kms/pricing/ : customer managed key per month. */
  kmsKeyMonth: 1.00,
  /** https://aws.amazon.com/lambda/pricing/ : requests, per million. */
  lambdaRequestMillion: 0.20,
  /** Same page: Arm duration per GB-second (first 7.5 billion GB-s). */
  lambdaArmGbSecond: 0.0000133334,
  /** Same page: provisioned concurrency (Arm) per GB-second enabled. */
  lambdaArmProvisionedGbSecond: 0.0000033334,
  /** https://aws.amazon.com/vpc/pricing/ : NAT gateway per hour (data processing extra). */
  natGatewayHour: 0.045,
  /**
   * Same page, "Public IPv4 address": every in-use public IPv4 address per hour, including the
   * Elastic IP of a NAT gateway, those of an internet-facing load balancer (one per Availability
   * Zone) and a task's public IP.
   */
  publicIpv4Hour: 0.005,
  /**
   * https://aws.amazon.com/elasticloadbalancing/pricing/ : Application Load Balancer per hour, plus
   * at least one LCU-hour. Express Mode's managed load balancer is an Application Load Balancer at
   * these prices (no Express Mode surcharge: https://aws.amazon.com/ecs/pricing/).
   */
  albHour: 0.0225,
  albLcuHour: 0.008,
  /** https://aws.amazon.com/fargate/pricing/ : Linux/x86 per vCPU-hour and per GB-hour. */
  fargateVcpuHour: 0.04048,
  fargateGbHour: 0.004445,
  /** https://aws.amazon.com/apprunner/pricing/ : provisioned instance memory per GB-hour (idle). */
  appRunnerProvisionedGbHour: 0.007,
  /**
   * https://aws.amazon.com/waf/pricing/ : web ACL per month, rule (a managed rule group counts as
   * one rule) per month, requests per million. The baseline AWS managed rule groups have no
   * subscription fee (Bot Control, Fraud Control and DDoS protection do). A body inspection limit
   * above 16 KB adds $0.30 per million requests per extra 16 KB (not used at defaults).
   */
  wafWebAclMonth: 5.00,
  wafRuleMonth: 1.00,
  wafRequestMillion: 0.60,
  /**
   * https://aws.amazon.com/cloudfront/pricing/ (pay as you go, United States, Mexico and Canada):
   * HTTPS requests per 10,000 and data transfer out to the internet per GB (first 10 TB). The
   * always-free tier (1 TB and 10 million requests a month) is left out, as every free tier here.
   */
  cloudFrontHttpsRequestsTenThousand: 0.0100,
  cloudFrontDataOutGb: 0.085,
  /** https://aws.amazon.com/api-gateway/pricing/ : REST API requests per million (first 333 million). */
  apiGatewayRestRequestMillion: 3.50,
  /**
   * https://aws.amazon.com/route53/pricing/ : hosted zone per month (first 25). Queries to alias
   * records that point at CloudFront, an API Gateway API or a load balancer are free; other
   * records cost $0.40 per million queries (resolvers cache them for their TTL).
   */
  route53HostedZoneMonth: 0.50,
  route53QueryMillion: 0.40,
  /**
   * https://aws.amazon.com/cloudwatch/pricing/ : Contributor Insights for CloudWatch Logs, per
   * rule per month and per million log events that match the rule (beyond the free tier of one
   * rule and one million matched events).
   */
  contributorInsightsRuleMonth: 0.50,
  contributorInsightsMatchedEventsMillion: 0.02,
  /** Same page: Logs Insights queries, per GB of log data scanned. */
  logsInsightsScannedGb: 0.005,
  /** https://aws.amazon.com/certificate-manager/pricing/ : public certificates (not exportable) are free. */
  acmPublicCertificateMonth: 0,
  /**
   * https://aws.amazon.com/cognito/pricing/ : machine-to-machine (client_credentials) app client per
   * month and token requests per 1,000, with no free tier. UNCONFIRMED: the figures are from
   * secondary sources (vantage, classmethod), not read on the pricing page itself.
   */
  cognitoM2mClientMonth: 6.00,
  cognitoM2mTokenRequestThousand: 2.25,
} as const;

/** Hours in the average month CloudWatch and the others bill by. */
export const HOURS_PER_MONTH = 730;

/** Canary runs in a month at one a minute (730 hours, so 43,800; a 30-day month has 43,200). */
export const PROBES_PER_MONTH = 60 * HOURS_PER_MONTH;

/** HTTP requests one passing probe sends through the front door (handshake, tools/list, session cleanup). */
export const REQUESTS_PER_PROBE = 3;
