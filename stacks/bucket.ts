/**
 * The environment bucket (guide §3): versioning on, all four public-access blocks, default encryption (the CMK
 * when there is one, else SSE-S3), a TLS-only bucket policy and a lifecycle that expires noncurrent versions except
 * the newest `noncurrentVersionsKept` (the version the environment pins survives failed updates) and aborts
 * incomplete multipart uploads (unless `manageLifecycle: false`: another tool owns the lifecycle); or an existing bucket (`existingArn`), referenced and not managed. Artifacts
 * (requirements, plugins, startup script) are uploaded from the repository, after versioning is in force, as
 * `aws_s3_object` resources whose `version_id` feeds the environment's `*_s3_object_version`, so a changed file
 * updates MWAA in the same apply; a postcondition refuses an empty `version_id`. Objects take no provider default
 * tags (S3's limit is 10 tags per object).
 *
 * Artifact `source` is `${path.module}/<path relative to the stack directory>`: portable when the repository
 * (with its cdktf.out) moves, and independent of terraform's working directory. `source_hash` (and `etag` with
 * SSE-S3, where the ETag is the MD5) is the file's MD5 computed at synthesis.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { ARTIFACT_FIELDS, DEFAULT_NONCURRENT_VERSIONS_KEPT, type ArtifactKind, type ArtifactSpec, type BucketSpec } from '../src/spec/types';
import { lit, litJson } from './literal';
import { bucketNameFromArn, tlsOnlyBucketPolicy } from './policies';

/** Lifecycle: incomplete multipart uploads are aborted after this many days (they are billed until then). */
export const ABORT_INCOMPLETE_MULTIPART_DAYS = 7;

/**
 * Objects take no tags from the provider's default tags: S3 allows 10 tags per object (the spec may have up to 48,
 * plus the tool's 2). `override_provider.default_tags.tags = {}` is the provider's per-object opt-out
 * (hashicorp/aws internal/service/s3/object.go ignoreProviderDefaultTags: tags_all = tags, and the upload strips the
 * default tags), so uploads carry no tags at all.
 */
const NO_DEFAULT_TAGS = { defaultTags: { tags: {} } };


export interface UploadedArtifact {
  /** S3 key (the environment's `*_s3_path`). */
  readonly key: string;
  /** Object version id token (the environment's `*_s3_object_version`). */
  readonly versionId: string;
  /** Absent for a pinned artifact (`{ key, versionId }`): the object exists already and is not managed here. */
  readonly object?: S3Object;
}

export interface MwaaBucketProps {
  readonly bucket: BucketSpec;
  /** CMK ARN for default encryption; absent = SSE-S3. */
  readonly kmsKeyArn?: string;
  readonly preventDestroy: boolean;
  /** Directory the stack's cdk.tf.json is written to (artifact sources are relative to it). */
  readonly stackDir: string;
}

export class MwaaBucket extends Construct {
  readonly bucketArn: string;
  readonly bucketName: string;
  readonly bucket?: S3Bucket;
  /** Versioning, public-access block (the environment depends on them). */
  readonly dependables: ITerraformDependable[] = [];
  readonly artifacts: Partial<Record<ArtifactKind, UploadedArtifact>> = {};

  constructor(scope: Construct, id: string, props: MwaaBucketProps) {
    super(scope, id);
    const spec = props.bucket;
    const objectDeps: ITerraformDependable[] = [];
    if (spec.existingArn) {
      this.bucketArn = lit(this, spec.existingArn);
      this.bucketName = lit(this, bucketNameFromArn(spec.existingArn));
    } else {
      const bucket = new S3Bucket(this, 'bucket', {
        bucket: lit(this, spec.name),
        forceDestroy: false,
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      });
      this.bucket = bucket;
      this.bucketArn = bucket.arn;
      this.bucketName = bucket.bucket;
      const versioning = new S3BucketVersioningA(this, 'bucket_versioning', {
        bucket: bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      });
      const pab = new S3BucketPublicAccessBlock(this, 'bucket_public_access_block', {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'bucket_encryption', {
        bucket: bucket.id,
        rule: [
          props.kmsKeyArn
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
        ],
      });
      new S3BucketPolicy(this, 'bucket_policy', {
        bucket: bucket.id,
        policy: litJson(this, tlsOnlyBucketPolicy(bucket.arn)),
        dependsOn: [pab],
      });
      if (spec.manageLifecycle !== false) new S3BucketLifecycleConfiguration(this, 'bucket_lifecycle', {
        bucket: bucket.id,
        rule: [
          {
            id: 'expire-noncurrent-versions',
            status: 'Enabled',
            filter: [{ prefix: '' }],
            // Keep the newest noncurrent versions whatever their age: the environment may still pin one of them
            // after failed updates (schema: bucket.noncurrentVersionsKept).
            noncurrentVersionExpiration: [
              {
                noncurrentDays: spec.noncurrentVersionExpirationDays,
                newerNoncurrentVersions: spec.noncurrentVersionsKept ?? DEFAULT_NONCURRENT_VERSIONS_KEPT,
              },
            ],
            expiration: [{ expiredObjectDeleteMarker: true }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_DAYS }],
          },
        ],
        dependsOn: [versioning],
      });
      this.dependables.push(versioning, pab);
      objectDeps.push(versioning, encryption);
    }

    new S3Object(this, 'dags_folder', {
      bucket: this.bucketName,
      key: lit(this, `${spec.dagsPath.replace(/\/+$/, '')}/`),
      content: '',
      overrideProvider: NO_DEFAULT_TAGS,
      dependsOn: objectDeps.length ? objectDeps : undefined,
      // An imported `dags/` object (mwaa-gitops import) has no content, force_destroy or override_provider in state
      // (S3 cannot return them), so the first plan would re-upload it as a new version. They never change here (the
      // content is always empty; a new dagsPath is a new key, which replaces the object), so they are not compared.
      lifecycle: { ignoreChanges: ['content', 'force_destroy', 'override_provider'] },
    });

    for (const kind of ARTIFACT_FIELDS) {
      const a: ArtifactSpec | undefined = spec[kind];
      if (!a) continue;
      const md5 = crypto.createHash('md5').update(fs.readFileSync(a.resolvedPath)).digest('hex');
      const rel = path.relative(props.stackDir, a.resolvedPath).split(path.sep).join('/');
      const id = `artifact_${kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
      const object = new S3Object(this, id, {
        bucket: this.bucketName,
        key: lit(this, a.key),
        source: `\${path.module}/${lit(this, rel)}`,
        sourceHash: md5,
        etag: !spec.existingArn && !props.kmsKeyArn ? md5 : undefined,
        overrideProvider: NO_DEFAULT_TAGS,
        // Uploaded only once versioning is in force (depends on the versioning resource); the environment pins the
        // version id, so an empty one (versioning not yet effective, or off on an existing bucket) stops the apply here.
        dependsOn: objectDeps.length ? objectDeps : undefined,
        lifecycle: {
          postcondition: [
            {
              condition: '${self.version_id != ""}',
              errorMessage: `bucket.${kind}: S3 returned no version id for s3://\${self.bucket}/\${self.key}, so MWAA cannot pin it. Versioning is not in force on the bucket yet (S3 can take a while after versioning is first enabled) or, for an existing bucket, it is off. Enable versioning (and wait a few minutes), then upload again: terraform apply -replace=aws_s3_object.${id}.`,
            },
          ],
        },
      });
      this.artifacts[kind] = { key: lit(this, a.key), versionId: object.versionId, object };
    }
    // Pinned artifacts (`{ key, versionId }` in an existing bucket, what import writes): referenced, never uploaded,
    // so adopting an environment keeps the object version it runs with.
    for (const kind of ARTIFACT_FIELDS) {
      const p = spec.pinned?.[kind];
      if (p && !this.artifacts[kind]) this.artifacts[kind] = { key: lit(this, p.key), versionId: lit(this, p.versionId) };
    }
  }
}
