/**
 * The offline target: aws provider arguments that let `terraform plan` run with fake credentials and no AWS call
 * at configure time (create-only plans in tests and benchmarks). Test/benchmark configuration only.
 */
export const OFFLINE_PROVIDER_OVERRIDES: Record<string, unknown> = {
  access_key: 'test',
  secret_key: 'test',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: 'true',
  skip_region_validation: true,
  // no account lookup offline: the stack's account guard (provider allowed_account_ids) cannot be checked
  allowed_account_ids: null,
};

/**
 * The offline target plus an emulator for the plan-time lookups only: `aws_availability_zones`, `aws_subnet`
 * (existing networks) and `aws_caller_identity` read EC2 and STS while planning, so a create-only plan of such a
 * stack needs an answer for them. moto (src/sandbox/moto.ts) gives it; every other service stays unreachable
 * (nothing else is called at plan time). Test/benchmark configuration only.
 */
export function offlineLookupTarget(motoEndpoint: string): Record<string, unknown> {
  return { ...OFFLINE_PROVIDER_OVERRIDES, endpoints: { ec2: motoEndpoint, sts: motoEndpoint } };
}
