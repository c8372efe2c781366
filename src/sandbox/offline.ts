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
