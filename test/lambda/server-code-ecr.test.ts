import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { McpServerCode } from '../../src';
import { onlyResource, testStack } from '../support/kit';
import { minimalService } from '../support/service-kinds';

/** The ImageUri of the server function when its code is `code`, as one string. */
function imageUriOf(code: (repository: ecr.IRepository) => McpServerCode): string {
  const stack = testStack();
  const repository = ecr.Repository.fromRepositoryName(stack, 'Images', 'mcp-server');
  minimalService.lambda(stack, { code: code(repository) });
  const fn = onlyResource(Template.fromStack(stack), 'AWS::Lambda::Function', 'McpFunction');
  return JSON.stringify(fn.Code.ImageUri);
}

describe('McpServerCode.fromEcrImage(repository, options)', () => {
  test('runs the tag given in options.tagOrDigest', () => {
    expect(imageUriOf((repo) => McpServerCode.fromEcrImage(repo, { tagOrDigest: 'v1.2.3' }))).toMatch(/mcp-server:v1\.2\.3"/);
  });

  test('runs a digest as repository@digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(imageUriOf((repo) => McpServerCode.fromEcrImage(repo, { tagOrDigest: digest }))).toMatch(new RegExp(`mcp-server@${digest}"`));
  });

  test('runs latest without options, and with empty options', () => {
    expect(imageUriOf((repo) => McpServerCode.fromEcrImage(repo))).toMatch(/mcp-server:latest"/);
    expect(imageUriOf((repo) => McpServerCode.fromEcrImage(repo, {}))).toMatch(/mcp-server:latest"/);
  });
});
