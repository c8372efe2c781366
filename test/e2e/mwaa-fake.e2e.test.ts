/** The MWAA API fake through the real AWS SDK client: status flow, validation errors, switches, tags, proxy form. */
import * as http from 'http';
import {
  MWAAClient, CreateEnvironmentCommand, GetEnvironmentCommand, UpdateEnvironmentCommand, DeleteEnvironmentCommand,
  ListEnvironmentsCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-mwaa';
import { MwaaFake } from '../../src/sandbox/mwaa-fake';

let fake: MwaaFake;
let client: MWAAClient;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Long enough that the status read right after a request still sees the transition under load on shared cores; the
// tests then poll for the next status instead of sleeping a fixed time.
const TRANSITION_MS = 1500;

/** The environment once its status is `status` (polled); fails after 10 transitions' time. */
async function statusBecomes(name: string, status: string) {
  const deadline = Date.now() + 10 * TRANSITION_MS;
  for (;;) {
    const env = (await client.send(new GetEnvironmentCommand({ Name: name }))).Environment!;
    if (env.Status === status || Date.now() > deadline) return env;
    await sleep(25);
  }
}

/** Resolves once GetEnvironment of `name` rejects (the environment is gone), with the error; fails after 10 transitions' time. */
async function gone(name: string): Promise<unknown> {
  const deadline = Date.now() + 10 * TRANSITION_MS;
  for (;;) {
    try {
      await client.send(new GetEnvironmentCommand({ Name: name }));
    } catch (e) {
      return e;
    }
    if (Date.now() > deadline) return undefined;
    await sleep(25);
  }
}
const base = {
  ExecutionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  SourceBucketArn: 'arn:aws:s3:::bucket',
  DagS3Path: 'dags',
  NetworkConfiguration: { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] },
};

beforeAll(async () => {
  fake = new MwaaFake({ transitionDelayMs: TRANSITION_MS });
  const port = await fake.start();
  client = new MWAAClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint: `http://127.0.0.1:${port}`, disableHostPrefix: true, maxAttempts: 5 });
});
afterAll(async () => fake.stop());
beforeEach(() => fake.reset());

test('CREATING -> AVAILABLE -> UPDATING -> AVAILABLE -> DELETING -> ResourceNotFoundException', async () => {
  const { Arn } = await client.send(new CreateEnvironmentCommand({ Name: 'e1', ...base, MaxWorkers: 5, Tags: { a: '1' } }));
  expect(Arn).toBe('arn:aws:airflow:us-east-1:123456789012:environment/e1');
  expect((await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment?.Status).toBe('CREATING');
  const env = await statusBecomes('e1', 'AVAILABLE');
  expect(env.Status).toBe('AVAILABLE');
  expect(env.MinWorkers).toBe(1);
  expect(env.Schedulers).toBe(2);
  await client.send(new UpdateEnvironmentCommand({ Name: 'e1', MaxWorkers: 8 }));
  expect((await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment?.Status).toBe('UPDATING');
  await expect(client.send(new UpdateEnvironmentCommand({ Name: 'e1', MaxWorkers: 9 }))).rejects.toMatchObject({ name: 'ValidationException' });
  expect(await statusBecomes('e1', 'AVAILABLE')).toMatchObject({ Status: 'AVAILABLE', MaxWorkers: 8 });
  expect((await client.send(new ListEnvironmentsCommand({}))).Environments).toEqual(['e1']);
  await client.send(new DeleteEnvironmentCommand({ Name: 'e1' }));
  expect((await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment?.Status).toBe('DELETING');
  expect(await gone('e1')).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
});

test('validation errors: min > max workers, missing required fields, duplicate name, subnets not updatable', async () => {
  await expect(client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base, MinWorkers: 6, MaxWorkers: 2 }))).rejects.toMatchObject({
    name: 'ValidationException', message: 'MinWorkers (6) must be less than or equal to MaxWorkers (2).',
  });
  await expect(client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base, DagS3Path: undefined } as never))).rejects.toMatchObject({ name: 'ValidationException', message: 'Missing required field DagS3Path' });
  await client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base }));
  await expect(client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base }))).rejects.toMatchObject({ name: 'ValidationException' });
  expect((await statusBecomes('e2', 'AVAILABLE')).Status).toBe('AVAILABLE');
  await expect(client.send(new UpdateEnvironmentCommand({ Name: 'e2', NetworkConfiguration: { SubnetIds: ['x', 'y'] } as never }))).rejects.toMatchObject({ name: 'ValidationException' });
  await expect(client.send(new GetEnvironmentCommand({ Name: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('failCreate: CREATE_FAILED with LastUpdate.Error; throttle: 429 ThrottlingException retried by the SDK', async () => {
  fake.failCreate('e3');
  await client.send(new CreateEnvironmentCommand({ Name: 'e3', ...base }));
  const env = await statusBecomes('e3', 'CREATE_FAILED');
  expect(env.Status).toBe('CREATE_FAILED');
  expect(env.LastUpdate?.Error?.ErrorCode).toBe('INCORRECT_CONFIGURATION');
  fake.throttle(2);
  expect((await client.send(new ListEnvironmentsCommand({}))).Environments).toEqual(['e3']);
  expect(fake.requests.filter((r) => r.status === 429).length).toBe(2);
});

test('tags: TagResource, UntagResource (tagKeys query), ListTagsForResource by URL-encoded ARN', async () => {
  const { Arn } = await client.send(new CreateEnvironmentCommand({ Name: 'e4', ...base, Tags: { a: '1', b: '2' } }));
  await client.send(new TagResourceCommand({ ResourceArn: Arn, Tags: { c: '3' } }));
  await client.send(new UntagResourceCommand({ ResourceArn: Arn, tagKeys: ['a', 'b'] }));
  expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags).toEqual({ c: '3' });
});

test('absolute-form (proxied) requests for the api. host are served', async () => {
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: fake.listenPort, method: 'GET', path: `http://api.mwaa.test:${fake.listenPort}/environments` }, (res) => {
      let s = '';
      res.on('data', (c) => (s += c));
      res.on('end', () => resolve(s));
    });
    req.on('error', reject);
    req.end();
  });
  expect(JSON.parse(body)).toEqual({ Environments: [] });
});
