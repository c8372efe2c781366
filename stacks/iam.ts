/**
 * IAM (guide §4, §8.4): the execution role trusted by both MWAA principals with confused-deputy conditions, its
 * execution policy (attached; the environment depends on the attachment, V-12), the optional permissions
 * boundary, and the optional web-login policies per Airflow role attached to the listed IAM roles.
 */
import { Construct } from 'constructs';
import { Op } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { IamSpec, PolicyStatement } from '../src/spec/types';
import { lit, litDeep, litJson } from './literal';
import { accountFromArn, executionPolicy, roleNameFromArn, trustPolicy, webLoginPolicy, type EnvironmentIdentity } from './policies';

export interface MwaaExecutionRoleProps {
  readonly identity: EnvironmentIdentity;
  /** Spec environment name (raw, for descriptions). */
  readonly name: string;
  /** Role name (src/aws/names.ts: `<name>-execution`, shortened with a hash past IAM's 64 characters). */
  readonly roleName: string;
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
      name: lit(this, props.roleName),
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
  /** Policy name (src/aws/names.ts). */
  readonly policyName: string;
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
      name: lit(this, props.policyName),
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
  /** Web-login policy name per Airflow role (src/aws/names.ts). */
  readonly policyName: (airflowRole: string) => string;
  /**
   * The deploying account as a plan-time value (the `aws_caller_identity` data source) when the spec names no
   * account: every attachment then carries a precondition that the role's account is that account. With
   * `account` in the spec, rule MWAA-IAM-004 has already refused roles of other accounts.
   */
  readonly callerAccountId?: string;
}

/**
 * One managed policy per Airflow role granting `airflow:CreateWebLoginToken`, attached to the listed roles. A role is
 * attached by name, and a name means a role of the deploying account: a role ARN of another account is never reduced
 * to its name (validation refuses it, or the plan fails on the precondition).
 */
export class MwaaWebAccess extends Construct {
  readonly policies: Record<string, IamPolicy> = {};

  constructor(scope: Construct, id: string, props: MwaaWebAccessProps) {
    super(scope, id);
    for (const [airflowRole, roleArns] of Object.entries(props.webAccess)) {
      const key = airflowRole.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
      const policy = new IamPolicy(this, `web_login_${key}`, {
        name: lit(this, props.policyName(airflowRole)),
        description: lit(this, `Log in to the Airflow UI of MWAA environment ${props.name} as ${airflowRole}`),
        policy: litJson(this, webLoginPolicy(props.identity, lit(this, airflowRole))),
      });
      this.policies[airflowRole] = policy;
      roleArns.forEach((arn, i) => {
        const roleAccount = accountFromArn(arn);
        new IamRolePolicyAttachment(this, `web_login_${key}_${i}`, {
          role: lit(this, roleNameFromArn(arn)),
          policyArn: policy.arn,
          lifecycle:
            props.callerAccountId !== undefined
              ? {
                  precondition: [
                    {
                      condition: Op.eq(props.callerAccountId, lit(this, roleAccount)),
                      errorMessage: `iam.webAccess.${lit(this, airflowRole)}.${i}: ${lit(this, arn)} is a role of account ${lit(this, roleAccount)}, but this stack deploys to account ${props.callerAccountId}; a web-login policy can only be attached to a role of the deploying account. Use a role of account ${props.callerAccountId}, or set account: "${lit(this, roleAccount)}" if that is where the environment belongs.`,
                    },
                  ],
                }
              : undefined,
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
