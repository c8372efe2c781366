/**
 * The spec text the terraform-driving tests start from: an environment in a new public network (two public and two
 * private /24s in 10.<octet>.0.0/16, so that environments planned side by side never overlap), Airflow 2.10.3, its
 * own bucket. Each test adds what it is about (workers, configuration, zone IDs, the state backend) as lines.
 */
export interface PublicNetworkSpec {
  name: string;
  /** Second octet of the VPC CIDR: 10.<octet>.0.0/16. */
  octet: number;
  /** The `account` guard (no caller-identity lookup at plan time). */
  account: string;
  region?: string;
  /** Lines under `airflow:` after `version` (unindented). */
  airflow?: string[];
  /** Lines under `network:` after the subnets (unindented). */
  network?: string[];
  /** Lines under `bucket:` (unindented); default `name: <name>-bucket-e2e`. */
  bucket?: string[];
  /** Lines under `state:` (unindented); default: no `state` block. */
  state?: string[];
}

const block = (key: string, lines: string[] | undefined): string => (lines?.length ? `${key}:\n${lines.map((l) => `  ${l}\n`).join('')}` : '');

export function publicNetworkSpec(o: PublicNetworkSpec): string {
  const n = o.octet;
  return (
    `apiVersion: mwaa-gitops/v1\nname: ${o.name}\nregion: ${o.region ?? 'us-east-1'}\naccount: "${o.account}"\n` +
    block('airflow', ['version: "2.10.3"', ...(o.airflow ?? [])]) +
    block('network', [
      'mode: create',
      'routing: public',
      `vpcCidr: 10.${n}.0.0/16`,
      `publicSubnets: [10.${n}.10.0/24, 10.${n}.11.0/24]`,
      `privateSubnets: [10.${n}.20.0/24, 10.${n}.21.0/24]`,
      ...(o.network ?? []),
    ]) +
    block('bucket', o.bucket ?? [`name: ${o.name}-bucket-e2e`]) +
    block('state', o.state)
  );
}
