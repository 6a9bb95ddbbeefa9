import { McpFailureClass, McpTransport } from '../../src';
import { FAILURE_CLASSES } from '../../src/contract/failure-classes';
import { TRANSPORTS } from '../../src/contract/transports';

// jsii enums need literal members, so the public enums repeat the run-time lists: these tests
// keep each pair equal, so a class or transport added on one side only fails here.
describe('public enums match the run-time contract', () => {
  test('McpFailureClass lists exactly the failure classes the probe names', () => {
    expect(Object.values(McpFailureClass).sort()).toEqual([...FAILURE_CLASSES].sort());
  });

  test('McpTransport lists exactly the transports the probe speaks', () => {
    expect(Object.values(McpTransport).sort()).toEqual([...TRANSPORTS].sort());
  });
});
