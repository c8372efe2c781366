/**
 * Encryption key (guide §5): `create` makes a symmetric single-Region key with rotation, the §5 key policy and
 * an alias `alias/<name>-mwaa`; `existing` references `keyArn`; `aws-owned` uses none.
 */
import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { EncryptionSpec } from '../src/spec/types';
import { lit, litJson } from './literal';
import { keyPolicy, type EnvironmentIdentity } from './policies';

export interface MwaaKeyProps {
  readonly identity: EnvironmentIdentity;
  /** Spec environment name (raw, for descriptions and the alias). */
  readonly name: string;
  readonly encryption: EncryptionSpec;
  /** Alias name (src/aws/names.ts: `alias/<name>-mwaa`). */
  readonly aliasName: string;
  readonly executionRoleArn: string;
  readonly preventDestroy: boolean;
}

export class MwaaKey extends Construct {
  /** Key ARN, absent with the AWS-owned key. */
  readonly keyArn?: string;
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: MwaaKeyProps) {
    super(scope, id);
    const enc = props.encryption;
    if (enc.kms === 'aws-owned') return;
    if (enc.kms === 'existing') {
      this.keyArn = lit(this, enc.keyArn);
      return;
    }
    this.key = new KmsKey(this, 'key', {
      description: lit(this, `Amazon MWAA environment ${props.name}: logs, bucket, metadata`),
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      multiRegion: false,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: litJson(this, keyPolicy({ ...props.identity, executionRoleArn: props.executionRoleArn })),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    new KmsAlias(this, 'key_alias', { name: lit(this, props.aliasName), targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
  }
}
