/**
 * A fake of the Amazon MWAA REST API (service model `mwaa/2020-07-01`, restJson1, host prefix `api.`) for
 * end-to-end tests on loopback. It implements the calls the Terraform AWS provider makes for
 * `aws_mwaa_environment` (create, get, update, delete, list, tag, untag, list tags) with:
 *
 * - the real status flow: CREATING -> AVAILABLE, UPDATING -> AVAILABLE, DELETING -> gone
 *   (GetEnvironment then answers ResourceNotFoundException), each after a configurable delay;
 * - the real error shapes: `X-Amzn-ErrorType` header + `{ "message" }` body, ValidationException (400),
 *   ResourceNotFoundException (404), ThrottlingException (429);
 * - switches for tests: make creation fail (status CREATE_FAILED with LastUpdate.Error), throttle the next N
 *   requests, change an environment behind Terraform's back.
 *
 * The provider's MWAA client sends requests to `api.<endpoint host>`; tests point the endpoint at
 * `http://mwaa.test:<port>` and the provider's `http_proxy` at this server, so requests arrive in absolute form
 * (`GET http://api.mwaa.test:<port>/environments/x`). Direct requests (an SDK client with `disableHostPrefix`)
 * work too. Absolute-form requests for any other host are forwarded unchanged (a plain HTTP proxy), so a
 * proxied call to another emulator still reaches it.
 *
 * Note: the service model lists no ConflictException; creating an environment whose name exists answers
 * ValidationException, which is what the API declares for CreateEnvironment.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export type EnvironmentStatus =
  | 'CREATING'
  | 'CREATE_FAILED'
  | 'AVAILABLE'
  | 'UPDATING'
  | 'UPDATE_FAILED'
  | 'DELETING';

export interface ModuleLogging {
  Enabled: boolean;
  LogLevel: string;
  CloudWatchLogGroupArn?: string;
}

/** The `Environment` shape of GetEnvironment (fields the fake keeps). */
export interface FakeEnvironment {
  Name: string;
  Arn: string;
  Status: EnvironmentStatus;
  CreatedAt: number;
  WebserverUrl: string;
  ExecutionRoleArn: string;
  ServiceRoleArn: string;
  KmsKey?: string;
  AirflowVersion: string;
  SourceBucketArn: string;
  DagS3Path: string;
  PluginsS3Path?: string;
  PluginsS3ObjectVersion?: string;
  RequirementsS3Path?: string;
  RequirementsS3ObjectVersion?: string;
  StartupScriptS3Path?: string;
  StartupScriptS3ObjectVersion?: string;
  AirflowConfigurationOptions: Record<string, string>;
  EnvironmentClass: string;
  MaxWorkers: number;
  MinWorkers: number;
  Schedulers: number;
  MaxWebservers: number;
  MinWebservers: number;
  NetworkConfiguration: { SubnetIds: string[]; SecurityGroupIds: string[] };
  LoggingConfiguration: Record<string, ModuleLogging>;
  LastUpdate?: {
    Status: 'SUCCESS' | 'PENDING' | 'FAILED';
    CreatedAt: number;
    Error?: { ErrorCode: string; ErrorMessage: string };
    Source?: string;
  };
  WeeklyMaintenanceWindowStart: string;
  Tags: Record<string, string>;
  WebserverAccessMode: string;
  EndpointManagement: string;
  WebserverVpcEndpointService?: string;
  DatabaseVpcEndpointService?: string;
  CeleryExecutorQueue: string;
}

export interface MwaaFakeOptions {
  /** Delay of each transition (CREATING/UPDATING/DELETING -> next), ms. Default 1000. */
  transitionDelayMs?: number;
  /** Region used in ARNs when the request's SigV4 scope does not name one. Default us-east-1. */
  region?: string;
  /** Port to listen on (default: a free port on 127.0.0.1). */
  port?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  operation: string;
  status: number;
}

const ENVIRONMENT_CLASSES = ['mw1.micro', 'mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge'];
const LOG_LEVELS = ['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG'];
const LOG_MODULES: Array<[string, string]> = [
  ['DagProcessingLogs', 'DAGProcessing'],
  ['SchedulerLogs', 'Scheduler'],
  ['WebserverLogs', 'WebServer'],
  ['WorkerLogs', 'Worker'],
  ['TaskLogs', 'Task'],
];
/** Upstream connections are not reused: a kept-alive socket the upstream closes while a request is sent on it fails that request. */
const NO_KEEPALIVE = new http.Agent({ keepAlive: false });
const NAME_PATTERN = /^[a-zA-Z][0-9a-zA-Z-_]*$/;
const DEFAULT_AIRFLOW_VERSION = '2.10.3';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const validation = (m: string) => new ApiError(400, 'ValidationException', m);
const notFound = (m: string) => new ApiError(404, 'ResourceNotFoundException', m);

export class MwaaFake {
  readonly environments = new Map<string, FakeEnvironment>();
  readonly requests: RequestLogEntry[] = [];
  transitionDelayMs: number;
  private readonly defaultRegion: string;
  private server?: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private failCreates = new Map<string, { ErrorCode: string; ErrorMessage: string }>();
  private throttleRemaining = 0;
  private port = 0;

  constructor(private readonly options: MwaaFakeOptions = {}) {
    this.transitionDelayMs = options.transitionDelayMs ?? 1000;
    this.defaultRegion = options.region ?? 'us-east-1';
  }

  /** Starts listening on 127.0.0.1; resolves with the port. */
  async start(): Promise<number> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  get listenPort(): number {
    return this.port;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- switches for tests ----

  /** The next create of `name` (or of any environment with '*') ends in CREATE_FAILED with this error. */
  failCreate(name: string, error = { ErrorCode: 'INCORRECT_CONFIGURATION', ErrorMessage: 'You may need to check the execution role permissions policy for your environment, and that each of the VPC networking components required by the environment are configured to allow traffic.' }): void {
    this.failCreates.set(name, error);
  }

  /** The next `n` API requests answer 429 ThrottlingException. */
  throttle(n: number): void {
    this.throttleRemaining = n;
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.environments.clear();
    this.failCreates.clear();
    this.throttleRemaining = 0;
    this.requests.length = 0;
  }

  // ---- HTTP ----

  private later(fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, this.transitionDelayMs);
    this.timers.add(t);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    let url: URL;
    if (/^https?:\/\//i.test(raw)) {
      url = new URL(raw);
      // Absolute form: we are acting as the provider's HTTP proxy. Anything that is not MWAA goes on unchanged.
      if (!/^(api\.)?mwaa\./i.test(url.hostname) && !/airflow/i.test(url.hostname)) {
        this.forward(req, res, url);
        return;
      }
    } else {
      url = new URL(raw, 'http://127.0.0.1');
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return; // the client went away mid-request (a killed provider): nothing to answer
    }
    let operation = 'Unknown';
    let status = 200;
    try {
      const region = signingRegion(req.headers.authorization) ?? this.defaultRegion;
      const route = this.route(req.method ?? 'GET', url);
      operation = route.operation;
      if (this.throttleRemaining > 0) {
        this.throttleRemaining -= 1;
        throw new ApiError(429, 'ThrottlingException', 'Rate exceeded');
      }
      let input: Record<string, unknown> = {};
      if (body.length > 0) {
        try {
          input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        } catch {
          throw new ApiError(400, 'SerializationException', 'Request body is not valid JSON');
        }
      }
      const out = route.run(input, url, region);
      send(res, 200, out);
    } catch (err) {
      if (err instanceof ApiError) {
        status = err.status;
        res.setHeader('X-Amzn-ErrorType', err.type);
        send(res, err.status, { message: err.message });
      } else {
        status = 500;
        res.setHeader('X-Amzn-ErrorType', 'InternalServerException');
        send(res, 500, { message: (err as Error).message });
      }
    } finally {
      this.requests.push({ method: req.method ?? '', path: url.pathname, operation, status });
    }
  }

  /**
   * Proxies one request unchanged. Either side may go away mid-stream (a SIGKILLed provider, a connection moto drops):
   * that ends this exchange only, with a 502 when nothing was sent yet, never an error thrown in the hosting process.
   */
  private forward(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const upstream = http.request(
      { host: url.hostname, port: url.port || 80, method: req.method, path: url.pathname + url.search, headers: req.headers, agent: NO_KEEPALIVE },
      (up) => {
        up.on('error', () => res.destroy());
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`mwaa-fake proxy: ${e.message}`);
    });
    req.on('error', () => upstream.destroy());
    res.on('error', () => upstream.destroy());
    req.pipe(upstream);
  }

  private route(
    method: string,
    url: URL,
  ): { operation: string; run: (input: Record<string, unknown>, url: URL, region: string) => unknown } {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'environments' && parts.length === 1 && method === 'GET') {
      return { operation: 'ListEnvironments', run: () => this.list(url) };
    }
    if (parts[0] === 'environments' && parts.length === 2) {
      const name = parts[1];
      switch (method) {
        case 'PUT':
          return { operation: 'CreateEnvironment', run: (i, _u, r) => this.create(name, i, r) };
        case 'GET':
          return { operation: 'GetEnvironment', run: () => ({ Environment: this.get(name) }) };
        case 'PATCH':
          return { operation: 'UpdateEnvironment', run: (i) => this.update(name, i) };
        case 'DELETE':
          return { operation: 'DeleteEnvironment', run: () => this.delete(name) };
      }
    }
    if (parts[0] === 'tags' && parts.length >= 2) {
      const arn = parts.slice(1).join('/');
      switch (method) {
        case 'GET':
          return { operation: 'ListTagsForResource', run: () => ({ Tags: { ...this.byArn(arn).Tags } }) };
        case 'POST':
          return { operation: 'TagResource', run: (i) => this.tag(arn, i) };
        case 'DELETE':
          return { operation: 'UntagResource', run: (_i, u) => this.untag(arn, u) };
      }
    }
    throw new ApiError(404, 'UnknownOperationException', `No MWAA operation for ${method} ${url.pathname}`);
  }

  private get(name: string): FakeEnvironment {
    const env = this.environments.get(name);
    if (!env) throw notFound(`Environment ${name} not found.`);
    return env;
  }

  private byArn(arn: string): FakeEnvironment {
    for (const env of this.environments.values()) if (env.Arn === arn) return env;
    throw notFound(`Resource ${arn} not found.`);
  }

  private list(url: URL): unknown {
    const max = Number(url.searchParams.get('MaxResults') ?? '25');
    if (!Number.isInteger(max) || max < 1 || max > 25) throw validation('MaxResults must be between 1 and 25.');
    const names = [...this.environments.keys()].sort();
    const start = Number(url.searchParams.get('NextToken') ?? '0');
    const page = names.slice(start, start + max);
    const next = start + max < names.length ? String(start + max) : undefined;
    return next ? { Environments: page, NextToken: next } : { Environments: page };
  }

  private create(name: string, input: Record<string, unknown>, region: string): unknown {
    if (!NAME_PATTERN.test(name) || name.length > 80) {
      throw validation(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][0-9a-zA-Z-_]*`);
    }
    for (const required of ['ExecutionRoleArn', 'SourceBucketArn', 'DagS3Path', 'NetworkConfiguration']) {
      if (input[required] === undefined) throw validation(`Missing required field ${required}`);
    }
    if (this.environments.has(name)) throw validation(`Environment ${name} already exists.`);
    const account = accountOf(String(input.ExecutionRoleArn));
    const envClass = (input.EnvironmentClass as string | undefined) ?? 'mw1.small';
    const webDefault = envClass === 'mw1.micro' ? 1 : 2;
    const network = input.NetworkConfiguration as { SubnetIds?: string[]; SecurityGroupIds?: string[] };
    const env: FakeEnvironment = {
      Name: name,
      Arn: `arn:aws:airflow:${region}:${account}:environment/${name}`,
      Status: 'CREATING',
      CreatedAt: Math.floor(Date.now() / 1000),
      WebserverUrl: `${randomId(8)}-${randomId(4)}.c${randomId(2)}.airflow.${region}.on.aws`,
      ExecutionRoleArn: String(input.ExecutionRoleArn),
      ServiceRoleArn: `arn:aws:iam::${account}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA`,
      AirflowVersion: (input.AirflowVersion as string | undefined) ?? DEFAULT_AIRFLOW_VERSION,
      SourceBucketArn: String(input.SourceBucketArn),
      DagS3Path: String(input.DagS3Path),
      AirflowConfigurationOptions: (input.AirflowConfigurationOptions as Record<string, string> | undefined) ?? {},
      EnvironmentClass: envClass,
      MaxWorkers: (input.MaxWorkers as number | undefined) ?? 10,
      MinWorkers: (input.MinWorkers as number | undefined) ?? 1,
      Schedulers: (input.Schedulers as number | undefined) ?? 2,
      MaxWebservers: (input.MaxWebservers as number | undefined) ?? webDefault,
      MinWebservers: (input.MinWebservers as number | undefined) ?? webDefault,
      NetworkConfiguration: { SubnetIds: [...(network.SubnetIds ?? [])], SecurityGroupIds: [...(network.SecurityGroupIds ?? [])] },
      LoggingConfiguration: {},
      WeeklyMaintenanceWindowStart: (input.WeeklyMaintenanceWindowStart as string | undefined) ?? 'SUN:03:30',
      Tags: { ...((input.Tags as Record<string, string> | undefined) ?? {}) },
      WebserverAccessMode: (input.WebserverAccessMode as string | undefined) ?? 'PRIVATE_ONLY',
      EndpointManagement: (input.EndpointManagement as string | undefined) ?? 'SERVICE',
      CeleryExecutorQueue: `arn:aws:sqs:${region}:${randomDigits(12)}:airflow-celery-${randomId(8)}`,
    };
    for (const k of ['KmsKey', 'PluginsS3Path', 'PluginsS3ObjectVersion', 'RequirementsS3Path', 'RequirementsS3ObjectVersion', 'StartupScriptS3Path', 'StartupScriptS3ObjectVersion'] as const) {
      if (typeof input[k] === 'string') (env as unknown as Record<string, unknown>)[k] = input[k];
    }
    if (network.SubnetIds === undefined || network.SubnetIds.length !== 2) {
      throw validation('NetworkConfiguration.SubnetIds must contain exactly 2 subnets in different Availability Zones.');
    }
    if (network.SecurityGroupIds === undefined || network.SecurityGroupIds.length < 1 || network.SecurityGroupIds.length > 5) {
      throw validation('NetworkConfiguration.SecurityGroupIds must contain between 1 and 5 security groups.');
    }
    env.LoggingConfiguration = mergeLogging({}, input.LoggingConfiguration, region, account, name);
    validateEnvironment(env);
    this.environments.set(name, env);
    const failure = this.failCreates.get(name) ?? this.failCreates.get('*');
    if (failure) {
      this.failCreates.delete(this.failCreates.has(name) ? name : '*');
    }
    this.later(() => {
      const current = this.environments.get(name);
      if (!current || current.Status !== 'CREATING') return;
      if (failure) {
        current.Status = 'CREATE_FAILED';
        current.LastUpdate = { Status: 'FAILED', CreatedAt: Math.floor(Date.now() / 1000), Error: { ...failure } };
      } else {
        current.Status = 'AVAILABLE';
      }
    });
    return { Arn: env.Arn };
  }

  private update(name: string, input: Record<string, unknown>): unknown {
    const env = this.get(name);
    if (env.Status !== 'AVAILABLE' && env.Status !== 'UPDATE_FAILED') {
      throw validation(`Environment ${name} is in ${env.Status} state and cannot be updated.`);
    }
    const next: FakeEnvironment = JSON.parse(JSON.stringify(env)) as FakeEnvironment;
    const simple = [
      'ExecutionRoleArn', 'AirflowVersion', 'DagS3Path', 'EnvironmentClass', 'MaxWorkers', 'MinWorkers', 'MaxWebservers',
      'MinWebservers', 'PluginsS3Path', 'PluginsS3ObjectVersion', 'RequirementsS3Path', 'RequirementsS3ObjectVersion',
      'Schedulers', 'SourceBucketArn', 'StartupScriptS3Path', 'StartupScriptS3ObjectVersion', 'WebserverAccessMode',
      'WeeklyMaintenanceWindowStart',
    ] as const;
    let changed = false;
    for (const k of simple) {
      if (input[k] !== undefined) {
        (next as unknown as Record<string, unknown>)[k] = input[k];
        changed = true;
      }
    }
    if (input.AirflowConfigurationOptions !== undefined) {
      next.AirflowConfigurationOptions = { ...(input.AirflowConfigurationOptions as Record<string, string>) };
      changed = true;
    }
    if (input.NetworkConfiguration !== undefined) {
      const n = input.NetworkConfiguration as Record<string, unknown>;
      if (n.SubnetIds !== undefined) throw validation('SubnetIds cannot be updated; only SecurityGroupIds can be changed.');
      const sgs = n.SecurityGroupIds as string[] | undefined;
      if (!sgs || sgs.length < 1 || sgs.length > 5) throw validation('NetworkConfiguration.SecurityGroupIds must contain between 1 and 5 security groups.');
      next.NetworkConfiguration = { ...next.NetworkConfiguration, SecurityGroupIds: [...sgs] };
      changed = true;
    }
    if (input.LoggingConfiguration !== undefined) {
      next.LoggingConfiguration = mergeLogging(next.LoggingConfiguration, input.LoggingConfiguration, regionOf(env.Arn), accountOf(env.Arn), name);
      changed = true;
    }
    if (!changed) throw validation('No changes were specified in the update request.');
    validateEnvironment(next);
    Object.assign(env, next, { Status: 'UPDATING' as EnvironmentStatus, LastUpdate: { Status: 'PENDING', CreatedAt: Math.floor(Date.now() / 1000), Source: 'Customer' } });
    this.later(() => {
      const current = this.environments.get(name);
      if (!current || current.Status !== 'UPDATING') return;
      current.Status = 'AVAILABLE';
      current.LastUpdate = { Status: 'SUCCESS', CreatedAt: current.LastUpdate?.CreatedAt ?? Math.floor(Date.now() / 1000), Source: 'Customer' };
    });
    return { Arn: env.Arn };
  }

  private delete(name: string): unknown {
    const env = this.get(name);
    if (env.Status === 'CREATING' || env.Status === 'UPDATING') {
      throw validation(`Environment ${name} is in ${env.Status} state and cannot be deleted.`);
    }
    if (env.Status !== 'DELETING') {
      env.Status = 'DELETING';
      this.later(() => {
        if (this.environments.get(name)?.Status === 'DELETING') this.environments.delete(name);
      });
    }
    return {};
  }

  private tag(arn: string, input: Record<string, unknown>): unknown {
    const env = this.byArn(arn);
    const tags = input.Tags as Record<string, string> | undefined;
    if (!tags || typeof tags !== 'object') throw validation('Missing required field Tags');
    Object.assign(env.Tags, tags);
    return {};
  }

  private untag(arn: string, url: URL): unknown {
    const env = this.byArn(arn);
    const keys = url.searchParams.getAll('tagKeys');
    if (keys.length === 0) throw validation('Missing required field tagKeys');
    for (const k of keys) delete env.Tags[k];
    return {};
  }
}

function validateEnvironment(env: FakeEnvironment): void {
  if (!ENVIRONMENT_CLASSES.includes(env.EnvironmentClass)) {
    throw validation(`Invalid EnvironmentClass ${env.EnvironmentClass}; valid values: ${ENVIRONMENT_CLASSES.join(', ')}.`);
  }
  if (env.MinWorkers < 1 || env.MaxWorkers < 1) throw validation('MinWorkers and MaxWorkers must be at least 1.');
  if (env.MinWorkers > env.MaxWorkers) {
    throw validation(`MinWorkers (${env.MinWorkers}) must be less than or equal to MaxWorkers (${env.MaxWorkers}).`);
  }
  if (env.MinWebservers > env.MaxWebservers) {
    throw validation(`MinWebservers (${env.MinWebservers}) must be less than or equal to MaxWebservers (${env.MaxWebservers}).`);
  }
  if (env.Schedulers < 1 || env.Schedulers > 5) throw validation('Schedulers must be between 1 and 5.');
  if (env.DagS3Path.startsWith('/') || env.DagS3Path.startsWith('s3://')) throw validation('DagS3Path must be a relative path in the source bucket.');
  if (!['PUBLIC_ONLY', 'PRIVATE_ONLY'].includes(env.WebserverAccessMode)) throw validation(`Invalid WebserverAccessMode ${env.WebserverAccessMode}.`);
  if (!['SERVICE', 'CUSTOMER'].includes(env.EndpointManagement)) throw validation(`Invalid EndpointManagement ${env.EndpointManagement}.`);
  if (!/^(MON|TUE|WED|THU|FRI|SAT|SUN):([01]\d|2[0-3]):(00|30)$/.test(env.WeeklyMaintenanceWindowStart)) {
    throw validation(`Invalid WeeklyMaintenanceWindowStart ${env.WeeklyMaintenanceWindowStart}.`);
  }
  for (const [v, p] of [['PluginsS3ObjectVersion', 'PluginsS3Path'], ['RequirementsS3ObjectVersion', 'RequirementsS3Path'], ['StartupScriptS3ObjectVersion', 'StartupScriptS3Path']] as const) {
    if (env[v] && !env[p]) throw validation(`${v} requires ${p}.`);
  }
  for (const [k, val] of Object.entries(env.AirflowConfigurationOptions)) {
    if (!/^[a-z_]+\.[a-z0-9_]+$/i.test(k)) throw validation(`Invalid Airflow configuration option key ${k}.`);
    if (typeof val !== 'string') throw validation(`Airflow configuration option ${k} must be a string.`);
  }
  if (env.SourceBucketArn && !env.SourceBucketArn.startsWith('arn:aws:s3:::')) throw validation('SourceBucketArn must be an S3 bucket ARN.');
}

function mergeLogging(
  current: Record<string, ModuleLogging>,
  input: unknown,
  region: string,
  account: string,
  name: string,
): Record<string, ModuleLogging> {
  const given = (input ?? {}) as Record<string, { Enabled?: boolean; LogLevel?: string }>;
  const out: Record<string, ModuleLogging> = {};
  for (const [key, suffix] of LOG_MODULES) {
    const prev = current[key] ?? { Enabled: false, LogLevel: 'INFO' };
    const g = given[key];
    const enabled = g?.Enabled ?? prev.Enabled;
    const level = g?.LogLevel ?? prev.LogLevel;
    if (!LOG_LEVELS.includes(level)) throw validation(`Invalid LogLevel ${level} for ${key}.`);
    out[key] = { Enabled: enabled, LogLevel: level };
    if (enabled) out[key].CloudWatchLogGroupArn = `arn:aws:logs:${region}:${account}:log-group:airflow-${name}-${suffix}`;
  }
  return out;
}

function accountOf(arn: string): string {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : '123456789012';
}

function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

function signingRegion(authorization: string | undefined): string | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? '');
  return m?.[1];
}

function randomId(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)];
  return s;
}

function randomDigits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(Math.random() * 10));
  return s;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
