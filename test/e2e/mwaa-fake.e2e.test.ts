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
const base = {
  ExecutionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  SourceBucketArn: 'arn:aws:s3:::bucket',
  DagS3Path: 'dags',
  NetworkConfiguration: { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] },
};

beforeAll(async () => {
  fake = new MwaaFake({ transitionDelayMs: 100 });
  const port = await fake.start();
  client = new MWAAClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint: `http://127.0.0.1:${port}`, disableHostPrefix: true, maxAttempts: 5 });
});
afterAll(async () => fake.stop());
beforeEach(() => fake.reset());

test('CREATING -> AVAILABLE -> UPDATING -> AVAILABLE -> DELETING -> ResourceNotFoundException', async () => {
  const { Arn } = await client.send(new CreateEnvironmentCommand({ Name: 'e1', ...base, MaxWorkers: 5, Tags: { a: '1' } }));
  expect(Arn).toBe('arn:aws:airflow:us-east-1:123456789012:environment/e1');
  expect((await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment?.Status).toBe('CREATING');
  await sleep(200);
  const env = (await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment!;
  expect(env.Status).toBe('AVAILABLE');
  expect(env.MinWorkers).toBe(1);
  expect(env.Schedulers).toBe(2);
  await client.send(new UpdateEnvironmentCommand({ Name: 'e1', MaxWorkers: 8 }));
  expect((await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment?.Status).toBe('UPDATING');
  await expect(client.send(new UpdateEnvironmentCommand({ Name: 'e1', MaxWorkers: 9 }))).rejects.toMatchObject({ name: 'ValidationException' });
  await sleep(200);
  expect((await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment).toMatchObject({ Status: 'AVAILABLE', MaxWorkers: 8 });
  expect((await client.send(new ListEnvironmentsCommand({}))).Environments).toEqual(['e1']);
  await client.send(new DeleteEnvironmentCommand({ Name: 'e1' }));
  expect((await client.send(new GetEnvironmentCommand({ Name: 'e1' }))).Environment?.Status).toBe('DELETING');
  await sleep(200);
  await expect(client.send(new GetEnvironmentCommand({ Name: 'e1' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
});

test('validation errors: min > max workers, missing required fields, duplicate name, subnets not updatable', async () => {
  await expect(client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base, MinWorkers: 6, MaxWorkers: 2 }))).rejects.toMatchObject({
    name: 'ValidationException', message: 'MinWorkers (6) must be less than or equal to MaxWorkers (2).',
  });
  await expect(client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base, DagS3Path: undefined } as never))).rejects.toMatchObject({ name: 'ValidationException', message: 'Missing required field DagS3Path' });
  await client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base }));
  await expect(client.send(new CreateEnvironmentCommand({ Name: 'e2', ...base }))).rejects.toMatchObject({ name: 'ValidationException' });
  await sleep(200);
  await expect(client.send(new UpdateEnvironmentCommand({ Name: 'e2', NetworkConfiguration: { SubnetIds: ['x', 'y'] } as never }))).rejects.toMatchObject({ name: 'ValidationException' });
  await expect(client.send(new GetEnvironmentCommand({ Name: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('failCreate: CREATE_FAILED with LastUpdate.Error; throttle: 429 ThrottlingException retried by the SDK', async () => {
  fake.failCreate('e3');
  await client.send(new CreateEnvironmentCommand({ Name: 'e3', ...base }));
  await sleep(200);
  const env = (await client.send(new GetEnvironmentCommand({ Name: 'e3' }))).Environment!;
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
