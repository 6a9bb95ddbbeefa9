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
} as const;

/** Hours in the average month CloudWatch and the others bill by. */
export const HOURS_PER_MONTH = 730;
