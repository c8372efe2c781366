/**
 * The end-to-end harness: moto (EC2, S3, IAM, KMS, STS, Logs, CloudWatch) and the MWAA fake on loopback, plus the
 * explicit test target: a JSON object of AWS provider arguments (Terraform names) that points the provider at them.
 *
 * This is the only place emulator settings live. The CLI reads a target only from `--provider-args <file.json>` or
 * `MWAA_GITOPS_PROVIDER_ARGS`; no user spec ever gets it by default.
 *
 * MWAA routing: the provider's MWAA client adds the API host prefix (`api.`) to the endpoint host, so the endpoint is
 * `http://mwaa.test:<port>` (never resolved) and the provider's `http_proxy` points at the fake, which receives the
 * requests in absolute form. Go's proxy selection never proxies loopback addresses, so moto on 127.0.0.1 is reached
 * directly; `no_proxy` says so explicitly as well.
 *
 * S3 goes through {@link S3PolicyShim} (moto ignores bucket-policy conditions; see that file).
 *
 * S3 state: the target file also carries `s3_backend` (src/synth.ts TARGET_S3_BACKEND_KEY), arguments merged into the
 * `backend "s3"` block of `state.backend: s3` specs, so their state and its lock file live in moto. moto (pinned)
 * honours S3 conditional writes (`If-None-Match: *` answers 412 PreconditionFailed when the key exists), which is what
 * Terraform's native S3 lock file (`use_lockfile`) needs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MotoServer } from './moto';
import { MwaaFake, MwaaFakeOptions } from './mwaa-fake';
import { S3PolicyShim } from './s3-policy-shim';

export const TEST_ACCOUNT_ID = '123456789012';
export const TEST_REGION = 'us-east-1';

/** Terraform AWS provider arguments (snake_case, as in HCL) merged into every synthesized provider block. */
export interface ProviderTarget {
  region?: string;
  access_key: string;
  secret_key: string;
  skip_credentials_validation: boolean;
  skip_metadata_api_check: boolean;
  skip_region_validation: boolean;
  skip_requesting_account_id: boolean;
  s3_use_path_style: boolean;
  http_proxy: string;
  https_proxy: string;
  no_proxy: string;
  endpoints: Record<string, string>;
}

/** Terraform `backend "s3"` arguments that keep S3 state in the emulator (test configuration only). */
export interface S3BackendTarget {
  endpoints: { s3: string; sts: string; iam: string };
  use_path_style: boolean;
  access_key: string;
  secret_key: string;
  skip_credentials_validation: boolean;
  skip_requesting_account_id: boolean;
  skip_metadata_api_check: boolean;
  skip_region_validation: boolean;
}

export function s3BackendTarget(s3Endpoint: string, motoEndpoint: string): S3BackendTarget {
  return {
    endpoints: { s3: s3Endpoint, sts: motoEndpoint, iam: motoEndpoint },
    use_path_style: true,
    access_key: 'test',
    secret_key: 'test',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
}

export interface EmulatorsOptions {
  mwaa?: MwaaFakeOptions;
  repoRoot?: string;
}

export interface Emulators {
  moto: MotoServer;
  mwaa: MwaaFake;
  target: ProviderTarget;
  /** S3 backend arguments (written into the target file as `s3_backend`). */
  s3Backend: S3BackendTarget;
  /** Environment for AWS SDK clients and terraform children (fake credentials, region). */
  awsEnv: Record<string, string>;
  /** Writes the target JSON (provider arguments plus `s3_backend`) to `file` and returns its path. */
  writeTarget(file: string): string;
  stop(): Promise<void>;
}

export function providerTarget(motoEndpoint: string, mwaaPort: number, s3Endpoint: string = motoEndpoint): ProviderTarget {
  const endpoints: Record<string, string> = {};
  for (const svc of ['ec2', 's3', 'iam', 'kms', 'sts', 'logs', 'cloudwatch']) endpoints[svc] = motoEndpoint;
  endpoints.s3 = s3Endpoint;
  endpoints.mwaa = `http://mwaa.test:${mwaaPort}`;
  return {
    access_key: 'test',
    secret_key: 'test',
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    skip_requesting_account_id: false,
    s3_use_path_style: true,
    http_proxy: `http://127.0.0.1:${mwaaPort}`,
    // Every endpoint is plain HTTP; an empty https_proxy means "no proxy for HTTPS".
    https_proxy: '',
    no_proxy: '127.0.0.1,localhost',
    endpoints,
  };
}

export async function startEmulators(opts: EmulatorsOptions = {}): Promise<Emulators> {
  const moto = new MotoServer({ repoRoot: opts.repoRoot });
  const mwaa = new MwaaFake(opts.mwaa);
  await Promise.all([moto.start(), mwaa.start()]);
  const s3 = new S3PolicyShim(moto.port);
  await s3.start();
  const target = providerTarget(moto.endpoint, mwaa.listenPort, s3.endpoint);
  const s3Backend = s3BackendTarget(s3.endpoint, moto.endpoint);
  return {
    moto,
    mwaa,
    target,
    s3Backend,
    awsEnv: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: TEST_REGION,
      AWS_DEFAULT_REGION: TEST_REGION,
    },
    writeTarget(file: string): string {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify({ ...target, s3_backend: s3Backend }, null, 2)}\n`);
      return file;
    },
    async stop(): Promise<void> {
      await Promise.all([moto.stop(), mwaa.stop(), s3.stop()]);
    },
  };
}
