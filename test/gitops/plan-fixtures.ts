/**
 * Plan JSON shaped like `terraform show -json <planfile>` of terraform 1.11 with hashicorp/aws 5.x
 * (format_version 1.2; resource_changes with actions, before/after, replace_paths, action_reason).
 */
type Actions = Array<'no-op' | 'create' | 'read' | 'update' | 'delete'>;

export function resourceChange(address: string, actions: Actions, before: Record<string, unknown> | null, after: Record<string, unknown> | null, extra: Record<string, unknown> = {}) {
  const [type, name] = address.split('.');
  return {
    address,
    mode: 'managed',
    type,
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions, before, after, after_unknown: after ? { arn: true, id: true } : {}, before_sensitive: {}, after_sensitive: {}, ...extra },
    ...(actions.includes('delete') && actions.includes('create') ? { action_reason: 'replace_because_cannot_update' } : {}),
  };
}

export function planJson(changes: unknown[]) {
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: {} },
    resource_changes: changes,
    configuration: { provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } }, root_module: {} },
    timestamp: '2026-11-25T00:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
}

const mwaa = (name: string, maxWorkers: number, subnets: string[]) => ({
  name,
  max_workers: maxWorkers,
  min_workers: 1,
  environment_class: 'mw1.small',
  network_configuration: [{ subnet_ids: subnets, security_group_ids: ['sg-1'] }],
});

export function devUpdatePlan() {
  return planJson([
    resourceChange('aws_mwaa_environment.environment', ['update'], mwaa('dev', 5, ['subnet-a', 'subnet-b']), mwaa('dev', 8, ['subnet-a', 'subnet-b'])),
    resourceChange('aws_s3_bucket.bucket', ['no-op'], { bucket: 'dev' }, { bucket: 'dev' }),
  ]);
}

export function prodReplacePlan() {
  return planJson([
    resourceChange('aws_mwaa_environment.environment', ['delete', 'create'], mwaa('prod', 10, ['subnet-a', 'subnet-b']), mwaa('prod', 10, ['subnet-a', 'subnet-c']), {
      replace_paths: [['network_configuration', 0, 'subnet_ids']],
    }),
    resourceChange('aws_iam_role_policy.execution', ['update'], { policy: '{}' }, { policy: '{"a":1}' }),
  ]);
}

/** A new environment: many creates (big enough to need cutting under a small limit). */
export function newEnvironmentPlan(n = 60) {
  const changes = [resourceChange('aws_mwaa_environment.environment', ['create'], null, mwaa('new', 5, ['subnet-x', 'subnet-y']))];
  for (let i = 0; i < n; i++) changes.push(resourceChange(`aws_vpc_endpoint.endpoint_${i}`, ['create'], null, { service_name: `com.amazonaws.us-east-1.svc${i}` }));
  return planJson(changes);
}
