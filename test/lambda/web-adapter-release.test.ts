import * as fs from 'fs';
import * as path from 'path';
import { LambdaWebAdapter } from '../../src';

const REPO_ROOT = path.join(__dirname, '..', '..');

/** Every file a user copies a Dockerfile line from: the example Dockerfiles, the README and docs/. */
function filesWithAdapterLines(): string[] {
  const docs = fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));
  return [
    'examples/server/Dockerfile',
    'examples/python-server/Dockerfile',
    'test/fixtures/image-server/Dockerfile',
    'README.md',
    ...docs,
  ];
}

/** The tags of `aws-lambda-adapter` images a file copies the adapter from. */
function adapterTags(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/aws-lambda-adapter:(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
}

describe('Lambda Web Adapter release in images', () => {
  test('the default layer version is the 1.1.0 release, which reads the 2xx readiness range', () => {
    expect({ layer: LambdaWebAdapter.DEFAULT_LAYER_VERSION, release: LambdaWebAdapter.DEFAULT_RELEASE }).toEqual({ layer: 30, release: '1.1.0' });
  });

  test('the example server Dockerfile copies the adapter of the default layer\'s release', () => {
    expect(adapterTags('examples/server/Dockerfile')).toEqual([LambdaWebAdapter.DEFAULT_RELEASE]);
  });

  test('every Dockerfile line in the examples, the README and docs/ names the default layer\'s release', () => {
    const tags = filesWithAdapterLines().flatMap((file) => adapterTags(file).map((tag) => ({ file, tag })));
    expect(tags.length).toBeGreaterThanOrEqual(4);
    expect(tags.filter((t) => t.tag !== LambdaWebAdapter.DEFAULT_RELEASE)).toEqual([]);
  });
});
