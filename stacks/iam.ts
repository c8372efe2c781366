/**
 * IAM (guide §4, §8.4): the execution role trusted by both MWAA principals with confused-deputy conditions, its
 * execution policy (attached; the environment depends on the attachment, V-12), the optional permissions
 * boundary, and the optional web-login policies per Airflow role attached to the listed IAM roles.
 */
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { IamSpec, PolicyStatement } from '../src/spec/types';
import { lit, litDeep, litJson } from './literal';
import { executionPolicy, roleNameFromArn, trustPolicy, webLoginPolicy, type EnvironmentIdentity } from './policies';

export interface MwaaExecutionRoleProps {
  readonly identity: EnvironmentIdentity;
  /** Spec environment name (raw, used to build resource names). */
  readonly name: string;
  readonly iam: IamSpec;
}

/** The execution role: created (`<name>-execution`), or the existing `iam.executionRoleArn` referenced, not managed. */
export class MwaaExecutionRole extends Construct {
  /** Absent when the spec names an existing role. */
  readonly role?: IamRole;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: MwaaExecutionRoleProps) {
    super(scope, id);
    if (props.iam.executionRoleArn) {
      this.roleArn = lit(this, props.iam.executionRoleArn);
      return;
    }
    const role = new IamRole(this, 'execution', {
      name: lit(this, `${props.name}-execution`),
      path: '/service-role/',
      description: lit(this, `Amazon MWAA execution role of environment ${props.name}`),
      assumeRolePolicy: litJson(this, trustPolicy(props.identity)),
      permissionsBoundary: props.iam.permissionsBoundaryArn ? lit(this, props.iam.permissionsBoundaryArn) : undefined,
    });
    this.role = role;
    this.roleArn = role.arn;
  }
}

export interface MwaaExecutionPolicyProps {
  readonly identity: EnvironmentIdentity;
  readonly name: string;
  readonly iam: IamSpec;
  readonly role: IamRole;
  readonly bucketArn: string;
  readonly kmsKeyArn?: string;
}

export class MwaaExecutionPolicy extends Construct {
  readonly policy: IamPolicy;
  /** The environment must depend on this (V-12). */
  readonly attachment: IamRolePolicyAttachment;

  constructor(scope: Construct, id: string, props: MwaaExecutionPolicyProps) {
    super(scope, id);
    const sb = props.iam.secretsBackend;
    const doc = executionPolicy({
      ...props.identity,
      bucketArn: props.bucketArn,
      kmsKeyArn: props.kmsKeyArn,
      secretsBackend: sb
        ? { connectionsPrefix: lit(this, sb.connectionsPrefix), variablesPrefix: lit(this, sb.variablesPrefix) }
        : undefined,
      extraStatements: props.iam.extraPolicyStatements.map((st) => literalStatement(this, st)),
    });
    this.policy = new IamPolicy(this, 'execution_policy', {
      name: lit(this, `${props.name}-execution`),
      path: '/service-role/',
      description: lit(this, `Amazon MWAA execution policy of environment ${props.name}`),
      policy: litJson(this, doc),
    });
    this.attachment = new IamRolePolicyAttachment(this, 'execution_policy_attachment', {
      role: props.role.name,
      policyArn: this.policy.arn,
    });
  }
}

export interface MwaaWebAccessProps {
  readonly identity: EnvironmentIdentity;
  readonly name: string;
  /** Airflow role -> IAM role ARNs. */
  readonly webAccess: Record<string, string[]>;
}

/** One managed policy per Airflow role granting `airflow:CreateWebLoginToken`, attached to the listed roles. */
export class MwaaWebAccess extends Construct {
  readonly policies: Record<string, IamPolicy> = {};

  constructor(scope: Construct, id: string, props: MwaaWebAccessProps) {
    super(scope, id);
    for (const [airflowRole, roleArns] of Object.entries(props.webAccess)) {
      const key = airflowRole.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
      const policy = new IamPolicy(this, `web_login_${key}`, {
        name: lit(this, `${props.name}-web-login-${airflowRole}`),
        description: lit(this, `Log in to the Airflow UI of MWAA environment ${props.name} as ${airflowRole}`),
        policy: litJson(this, webLoginPolicy(props.identity, lit(this, airflowRole))),
      });
      this.policies[airflowRole] = policy;
      roleArns.forEach((arn, i) => {
        new IamRolePolicyAttachment(this, `web_login_${key}_${i}`, {
          role: lit(this, roleNameFromArn(arn)),
          policyArn: policy.arn,
        });
      });
    }
  }
}

/** A user-written statement with every value (and condition key) literal; IAM field names kept. */
function literalStatement(scope: Construct, st: PolicyStatement): PolicyStatement {
  const l = (v: string | string[]) => (Array.isArray(v) ? v.map((x) => lit(scope, x)) : lit(scope, v));
  return {
    Sid: st.Sid !== undefined ? lit(scope, st.Sid) : undefined,
    Effect: st.Effect,
    Action: l(st.Action),
    Resource: l(st.Resource),
    Condition: st.Condition !== undefined ? litDeep(scope, st.Condition) : undefined,
  };
}
