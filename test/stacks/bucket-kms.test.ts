import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { devSpec, existingSpec, privateSpec, synthSpec, tempRepo, withArtifacts, ACCOUNT } from './fixtures';

describe('MwaaBucket', () => {
  it('creates a versioned, fully blocked, SSE-S3 bucket with a TLS-only policy and noncurrent expiry', () => {
    const r = synthSpec(devSpec()).resource;
    expect(r.aws_s3_bucket.bucket).toMatchObject({ bucket: 'analytics-dev-mwaa-123', force_destroy: false });
    expect(r.aws_s3_bucket.bucket.lifecycle).toBeUndefined();
    expect(r.aws_s3_bucket_versioning.bucket_versioning.versioning_configuration).toEqual({ status: 'Enabled' });
    expect(r.aws_s3_bucket_public_access_block.bucket_public_access_block).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r.aws_s3_bucket_server_side_encryption_configuration.bucket_encryption.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: 'AES256',
    });
    const policy = JSON.parse(r.aws_s3_bucket_policy.bucket_policy.policy);
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Action: 's3:*',
      Resource: ['${aws_s3_bucket.bucket.arn}', '${aws_s3_bucket.bucket.arn}/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const rule = r.aws_s3_bucket_lifecycle_configuration.bucket_lifecycle.rule[0];
    expect(rule).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 30 }] });
    expect(r.aws_s3_bucket_lifecycle_configuration.bucket_lifecycle.depends_on).toEqual(['aws_s3_bucket_versioning.bucket_versioning']);
    expect(r.aws_s3_object.dags_folder).toMatchObject({ key: 'dags/', content: '', lifecycle: { ignore_changes: ['content', 'force_destroy', 'override_provider'] } });
  });

  it('without artifacts: no artifact objects and no *_s3_path / object versions on the environment', () => {
    const r = synthSpec(devSpec()).resource;
    expect(Object.keys(r.aws_s3_object)).toEqual(['dags_folder']);
    const env = r.aws_mwaa_environment.environment;
    for (const k of ['requirements', 'plugins', 'startup_script']) {
      expect(env[`${k}_s3_path`]).toBeUndefined();
      expect(env[`${k}_s3_object_version`]).toBeUndefined();
    }
  });

  it('with artifacts: aws_s3_object per file (relative source, md5) whose version_id feeds the environment', () => {
    const repo = tempRepo();
    try {
      const spec = withArtifacts(devSpec(), repo);
      const stackDir = path.join(repo, 'cdktf.out', 'stacks', spec.name);
      const r = synthSpec(spec, { repoRoot: repo, stackDir }).resource;
      const md5 = crypto.createHash('md5').update(fs.readFileSync(path.join(repo, 'artifacts/requirements.txt'))).digest('hex');
      expect(r.aws_s3_object.artifact_requirements).toMatchObject({
        bucket: '${aws_s3_bucket.bucket.bucket}',
        key: 'requirements.txt',
        source: '${path.module}/../../../artifacts/requirements.txt',
        source_hash: md5,
        etag: md5,
      });
      expect(r.aws_s3_object.artifact_requirements.depends_on).toContain('aws_s3_bucket_versioning.bucket_versioning');
      expect(r.aws_s3_object.artifact_plugins.key).toBe('plugins.zip');
      expect(r.aws_s3_object.artifact_startup_script.key).toBe('startup.sh');
      const env = r.aws_mwaa_environment.environment;
      expect(env).toMatchObject({
        requirements_s3_path: 'requirements.txt',
        requirements_s3_object_version: '${aws_s3_object.artifact_requirements.version_id}',
        plugins_s3_path: 'plugins.zip',
        plugins_s3_object_version: '${aws_s3_object.artifact_plugins.version_id}',
        startup_script_s3_path: 'startup.sh',
        startup_script_s3_object_version: '${aws_s3_object.artifact_startup_script.version_id}',
      });
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('lifecycle keeps the newest noncurrent versions (the environment may still pin one) and aborts stale multipart uploads', () => {
    const rule = synthSpec(devSpec()).resource.aws_s3_bucket_lifecycle_configuration.bucket_lifecycle.rule[0];
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30, newer_noncurrent_versions: 10 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
    expect(rule.filter).toEqual([{ prefix: '' }]);
    const s = devSpec();
    s.bucket = { ...s.bucket, noncurrentVersionsKept: 3 };
    expect(synthSpec(s).resource.aws_s3_bucket_lifecycle_configuration.bucket_lifecycle.rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30, newer_noncurrent_versions: 3 }]);
  });

  it('manageLifecycle: false leaves the lifecycle to another tool: no lifecycle configuration, the rest of the bucket as before', () => {
    const s = devSpec();
    s.bucket = { ...s.bucket, manageLifecycle: false };
    const off = synthSpec(s).resource;
    const on = synthSpec(devSpec()).resource;
    expect(off.aws_s3_bucket_lifecycle_configuration).toBeUndefined();
    expect(Object.keys(on).filter((t) => t !== 'aws_s3_bucket_lifecycle_configuration')).toEqual(Object.keys(off));
    expect(off.aws_s3_bucket_versioning).toEqual(on.aws_s3_bucket_versioning);
    s.bucket = { ...s.bucket, manageLifecycle: true };
    expect(synthSpec(s).resource.aws_s3_bucket_lifecycle_configuration.bucket_lifecycle).toBeDefined();
  });

  it('objects take no provider default tags (S3: 10 tags per object) whatever the spec\'s tag count', () => {
    const repo = tempRepo();
    try {
      const spec = withArtifacts({ ...devSpec(), tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, `v${i}`])) }, repo);
      const tf = synthSpec(spec, { repoRoot: repo, stackDir: path.join(repo, 'cdktf.out', 'stacks', spec.name) });
      expect(Object.keys(tf.provider.aws[0].default_tags[0].tags)).toHaveLength(50); // 48 + the tool's 2, on every other resource
      for (const [id, o] of Object.entries<any>(tf.resource.aws_s3_object)) {
        expect({ id, override: o.override_provider, tags: o.tags }).toEqual({ id, override: { default_tags: { tags: {} } }, tags: undefined });
      }
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('artifacts upload after versioning is Enabled, and a postcondition stops the apply on an empty version_id', () => {
    const repo = tempRepo();
    try {
      for (const spec of [withArtifacts(devSpec(), repo), withArtifacts(existingSpec(), repo)]) {
        const r = synthSpec(spec, { repoRoot: repo, stackDir: path.join(repo, 'cdktf.out', 'stacks', spec.name) }).resource;
        for (const id of ['artifact_requirements', 'artifact_plugins', 'artifact_startup_script']) {
          const [post] = r.aws_s3_object[id].lifecycle.postcondition;
          expect(post.condition).toBe('${self.version_id != ""}');
          expect(post.error_message).toContain(`terraform apply -replace=aws_s3_object.${id}`);
        }
        if (!spec.bucket.existingArn) {
          expect(r.aws_s3_object.artifact_requirements.depends_on).toContain('aws_s3_bucket_versioning.bucket_versioning');
          expect(r.aws_s3_bucket_versioning.bucket_versioning.versioning_configuration.status).toBe('Enabled');
        }
      }
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('a KMS-encrypted bucket: no etag on the artifact objects (the ETag is not the MD5 there), source_hash still', () => {
    const repo = tempRepo();
    try {
      const spec = withArtifacts(privateSpec(), repo);
      expect(spec.encryption.kms).toBe('create');
      const r = synthSpec(spec, { repoRoot: repo, stackDir: path.join(repo, 'cdktf.out', 'stacks', spec.name) }).resource;
      const md5 = crypto.createHash('md5').update(fs.readFileSync(path.join(repo, 'artifacts/requirements.txt'))).digest('hex');
      expect(r.aws_s3_object.artifact_requirements.source_hash).toBe(md5);
      for (const id of ['artifact_requirements', 'artifact_plugins', 'artifact_startup_script']) expect([id, r.aws_s3_object[id].etag]).toEqual([id, undefined]);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('a changed artifact file changes its hash (MWAA updates in the same apply)', () => {
    const repo = tempRepo();
    try {
      const spec = withArtifacts(devSpec(), repo);
      const a = synthSpec(spec, { repoRoot: repo }).resource.aws_s3_object.artifact_requirements.source_hash;
      fs.writeFileSync(path.join(repo, 'artifacts/requirements.txt'), 'apache-airflow-providers-x==1.0\n');
      const b = synthSpec(spec, { repoRoot: repo }).resource.aws_s3_object.artifact_requirements.source_hash;
      expect(a).not.toBe(b);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('a pinned artifact ({ key, versionId }, what import writes): no upload, the environment keeps that version', () => {
    const spec = existingSpec();
    spec.bucket.pinned = { requirements: { key: 'requirements.txt', versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' } };
    const r = synthSpec(spec).resource;
    expect(r.aws_s3_object.artifact_requirements).toBeUndefined();
    expect(r.aws_mwaa_environment.environment).toMatchObject({ requirements_s3_path: 'requirements.txt', requirements_s3_object_version: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' });
    expect(r.aws_mwaa_environment.environment.plugins_s3_path).toBeUndefined();
  });

  it('existingArn: bucket referenced, not managed', () => {
    const tf = synthSpec(existingSpec());
    const r = tf.resource;
    for (const t of ['aws_s3_bucket', 'aws_s3_bucket_versioning', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block']) expect(r[t]).toBeUndefined();
    expect(r.aws_mwaa_environment.environment.source_bucket_arn).toBe('arn:aws:s3:::shared-bucket');
    expect(r.aws_s3_object.dags_folder.bucket).toBe('shared-bucket');
    expect(tf.output.bucket_name.value).toBe('shared-bucket');
    const policy = JSON.parse(r.aws_iam_policy.execution_policy.policy);
    expect(policy.Statement.find((s: any) => s.Sid === 'ReadEnvironmentBucket').Resource).toEqual(['arn:aws:s3:::shared-bucket', 'arn:aws:s3:::shared-bucket/*']);
  });
});

describe('MwaaKey', () => {
  it('aws-owned: no key, no kms_key on the environment, SSE-S3, §4.3 policy variant', () => {
    const r = synthSpec(devSpec()).resource;
    expect(r.aws_kms_key).toBeUndefined();
    expect(r.aws_mwaa_environment.environment.kms_key).toBeUndefined();
    const policy = JSON.parse(r.aws_iam_policy.execution_policy.policy);
    const kms = policy.Statement.find((s: any) => s.Sid === 'UseAwsOwnedKeyViaSqs');
    expect(kms.NotResource).toBe(`arn:aws:kms:*:${ACCOUNT}:key/*`);
    expect(kms.Condition.StringLike['kms:ViaService']).toEqual(['sqs.eu-west-1.amazonaws.com']);
  });

  it('create: symmetric key with rotation, §5 policy (admin, logs with encryption context), alias; used everywhere', () => {
    const r = synthSpec(privateSpec()).resource;
    const key = r.aws_kms_key.key;
    expect(key).toMatchObject({ enable_key_rotation: true, multi_region: false, customer_master_key_spec: 'SYMMETRIC_DEFAULT' });
    const kp = JSON.parse(key.policy);
    const admin = kp.Statement.find((s: any) => s.Sid === 'AccountAdministers');
    expect(admin).toMatchObject({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' });
    const logs = kp.Statement.find((s: any) => s.Sid === 'CloudWatchLogs');
    expect(logs.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(logs.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:eu-west-1:${ACCOUNT}:*` } });
    expect(kp.Statement.find((s: any) => s.Sid === 'ExecutionRoleViaSqsAndS3').Principal).toEqual({ AWS: '${aws_iam_role.execution.arn}' });
    expect(r.aws_kms_alias.key_alias).toMatchObject({ name: 'alias/analytics-prod-mwaa', target_key_id: '${aws_kms_key.key.key_id}' });
    expect(r.aws_mwaa_environment.environment.kms_key).toBe('${aws_kms_key.key.arn}');
    expect(r.aws_s3_bucket_server_side_encryption_configuration.bucket_encryption.rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.key.arn}' },
      bucket_key_enabled: true,
    });
    for (const g of Object.values<any>(r.aws_cloudwatch_log_group)) expect(g.kms_key_id).toBe('${aws_kms_key.key.arn}');
    const policy = JSON.parse(r.aws_iam_policy.execution_policy.policy);
    const kms = policy.Statement.find((s: any) => s.Sid === 'UseEnvironmentKey');
    expect(kms.Resource).toBe('${aws_kms_key.key.arn}');
    expect(kms.Condition.StringLike['kms:ViaService']).toEqual(['sqs.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com']);
  });

  it('existing: keyArn used for environment, bucket, log groups and policy; no key created', () => {
    const spec = existingSpec();
    const arn = (spec.encryption as { keyArn: string }).keyArn;
    const r = synthSpec(spec).resource;
    expect(r.aws_kms_key).toBeUndefined();
    expect(r.aws_mwaa_environment.environment.kms_key).toBe(arn);
    for (const g of Object.values<any>(r.aws_cloudwatch_log_group)) expect(g.kms_key_id).toBe(arn);
    const policy = JSON.parse(r.aws_iam_policy.execution_policy.policy);
    expect(policy.Statement.find((s: any) => s.Sid === 'UseEnvironmentKey').Resource).toBe(arn);
    // no etag with a KMS-encrypted bucket (the ETag is not the MD5 there)
  });
});

describe('protection.preventDestroy', () => {
  it('sets lifecycle.prevent_destroy on environment, bucket and key', () => {
    const r = synthSpec(privateSpec()).resource;
    expect(r.aws_mwaa_environment.environment.lifecycle).toEqual({ prevent_destroy: true });
    expect(r.aws_s3_bucket.bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(r.aws_kms_key.key.lifecycle).toEqual({ prevent_destroy: true });
  });
  it('is absent when off', () => {
    const r = synthSpec(devSpec()).resource;
    expect(r.aws_mwaa_environment.environment.lifecycle).toBeUndefined();
  });
});
