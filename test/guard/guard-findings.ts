/**
 * Runs the AWS Control Tower proactive-control Guard rules that @cdklabs/cdk-validator-cfnguard
 * bundles (offline: the plugin ships the cfn-guard binary and the rules) as a CDK policy
 * validation plugin, the way an app adds it (`Validations.of(app).addPlugins(...)`), and reads
 * the findings back from the JSON report synth writes. Only findings on resources the library
 * creates count: the constructs of the classes src/index.ts exports, and everything below them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as library from '../../src';

/** One (rule, resource) pair the Guard rules report. */
export interface GuardFinding {
  /** The Control Tower control id, e.g. `CT.CLOUDWATCH.PR.1`. */
  readonly rule: string;
  /** What the rule requires. */
  readonly description: string;
  /** The stack of the resource. */
  readonly stack: string;
  /** The resource's construct path. */
  readonly constructPath: string;
  /** Whether a construct of this library created the resource. */
  readonly library: boolean;
}

/** The classes src/index.ts exports that are constructs. */
const LIBRARY_CLASSES: ReadonlySet<unknown> = new Set(Object.values(library).filter((v) => typeof v === 'function'));

/** The paths of the outermost constructs of library classes in `scope`. */
function libraryConstructPaths(scope: IConstruct): string[] {
  const paths: string[] = [];
  const visit = (c: IConstruct): void => {
    if (LIBRARY_CLASSES.has(c.constructor)) {
      paths.push(c.node.path);
      return;
    }
    c.node.children.forEach(visit);
  };
  visit(scope);
  return paths;
}

/** An app that runs the bundled Guard rules on synth and writes the JSON report. */
export function guardApp(): App {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-guard-')),
    context: { '@aws-cdk/core:validationReportJson': true },
  });
  Validations.of(app).addPlugins(new CfnGuardValidator());
  return app;
}

/** Synthesizes `app` (a failing validation is expected) and returns every Guard finding. */
export function guardFindings(app: App): GuardFinding[] {
  const libraryPaths = libraryConstructPaths(app);
  const stackOf = new Map(app.node.findAll().filter((c): c is Stack => Stack.isStack(c)).map((s) => [s.templateFile, s.stackName]));
  try {
    app.synth();
  } catch (e) {
    if (!/Validation ?failed/i.test(String(e))) {
      throw e;
    }
  }
  const reportFile = path.join(app.outdir, 'policy-validation-report.json');
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  fs.rmSync(app.outdir, { recursive: true, force: true });
  const findings: GuardFinding[] = [];
  for (const plugin of report.pluginReports) {
    for (const violation of plugin.violations) {
      const rule = /^\[([^\]]+)\]/.exec(violation.description)?.[1] ?? violation.ruleName;
      for (const resource of violation.violatingResources) {
        const constructPath: string = resource.constructPath ?? resource.resourceLogicalId;
        findings.push({
          rule,
          description: violation.description,
          stack: stackOf.get(resource.templatePath) ?? resource.templatePath,
          constructPath,
          library: libraryPaths.some((p) => constructPath.startsWith(`${p}/`)),
        });
      }
    }
  }
  return findings;
}
