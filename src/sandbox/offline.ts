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
 * What to add to the environment of terraform (and of a provider process started for it) so that the offline target
 * answers the plan-time lookups: `aws_availability_zones`, `aws_subnet` (existing networks) and `aws_caller_identity`
 * read EC2 and STS while planning, so a create-only plan of such a stack needs an answer for them. moto
 * (src/sandbox/moto.ts) gives it; every other service stays unreachable (nothing else is called at plan time).
 *
 * The provider's service-specific endpoint variables, not an `endpoints` block in the provider configuration: with
 * hashicorp/aws 5.100.0 an `endpoints` block (even of two services) costs the provider ~3.3 CPU-s each time Terraform
 * validates the configuration, which it does twice per provider block in every plan (measured against one provider
 * process: `terraform validate` of a one-resource stack, 0.9 CPU-s without the block, 4.2 with it). The stack is
 * synthesized with OFFLINE_PROVIDER_OVERRIDES alone. Test/benchmark configuration only.
 */
export function offlineLookupEnv(motoEndpoint: string): Record<string, string> {
  return { AWS_ENDPOINT_URL_EC2: motoEndpoint, AWS_ENDPOINT_URL_STS: motoEndpoint };
}
