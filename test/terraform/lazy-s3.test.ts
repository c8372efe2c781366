/**
 * A plan of a local-state environment does not load the AWS SDK's S3 client (about 0.1 s of CPU per process, part of
 * the no-change plan's overhead over bare `terraform plan`: README, Performance); an S3-state environment loads it
 * when it needs it.
 */
let mockS3Loaded = false;
jest.mock('@aws-sdk/client-s3', () => {
  mockS3Loaded = true;
  return jest.requireActual('@aws-sdk/client-s3');
});

test('the plan and drift commands load without the S3 client; the S3 state check loads it on demand', async () => {
  require('../../src/cli/plan');
  require('../../src/cli/drift');
  expect(mockS3Loaded).toBe(false);
  const { stateVersioningWarning } = require('../../src/terraform/workflow') as typeof import('../../src/terraform/workflow');
  const local = { spec: { name: 'e', state: { backend: 'local' } } } as Parameters<typeof stateVersioningWarning>[0];
  await expect(stateVersioningWarning(local)).resolves.toBeUndefined();
  expect(mockS3Loaded).toBe(false);
  const s3 = {
    spec: { name: 'e', state: { backend: 's3', bucket: 'b', key: 'k', region: 'us-east-1' } },
    // an endpoint that is no URL: the check fails before any request, and is silent
    s3Backend: { endpoints: { s3: 'not a url' }, access_key: 'x', secret_key: 'y' },
  } as unknown as Parameters<typeof stateVersioningWarning>[0];
  await expect(stateVersioningWarning(s3)).resolves.toBeUndefined();
  expect(mockS3Loaded).toBe(true);
});
