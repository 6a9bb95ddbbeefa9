// aws-cdk-lib runs its built-in CloudFormation validator on every synth (seconds and ~500 MB each).
// Unit tests turn it off; test/examples.test.ts turns it back on, with its default rules as errors.
process.env.CDK_VALIDATION = process.env.CDK_VALIDATION ?? 'false';
