import { App } from 'aws-cdk-lib';

/**
 * Turn aws-cdk-lib's built-in CloudFormation validator back on for the calling test file
 * (test/setup-env.ts turns it off for unit tests), from beforeAll to afterAll.
 */
export function enableBuiltinValidation(): void {
  const previous = process.env.CDK_VALIDATION;
  beforeAll(() => {
    delete process.env.CDK_VALIDATION;
  });
  afterAll(() => {
    process.env.CDK_VALIDATION = previous;
  });
}

/** An app whose synth fails on any finding of the validator's default rules (feature flag on). */
export function strictValidationApp(): App {
  return new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
}
