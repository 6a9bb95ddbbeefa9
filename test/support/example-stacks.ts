import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';

/**
 * Every Stack class exported by examples/*-stack.ts, by class name: the stacks the example apps
 * deploy. New examples are picked up without editing the tests that use this.
 */
export function exampleStackClasses(): Array<[string, new (scope: App, id: string) => Stack]> {
  const dir = path.join(__dirname, '..', '..', 'examples');
  const classes: Array<[string, new (scope: App, id: string) => Stack]> = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('-stack.ts')).sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file));
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === 'function' && value.prototype instanceof Stack) {
        classes.push([name, value as new (scope: App, id: string) => Stack]);
      }
    }
  }
  return classes;
}
