import { estimateCost, formatCosts, costMoved, PRICING } from '../../src/gitops/cost';
import type { EnvironmentSpec } from '../../src/spec/types';

function spec(over: { cls?: string; workers?: [number, number]; webservers?: [number, number]; schedulers?: number; network?: unknown; region?: string; kms?: string } = {}): EnvironmentSpec {
  const log = { level: 'INFO', enabled: true };
  return {
    apiVersion: 'mwaa-gitops/v1',
    name: 'dev',
    region: over.region ?? 'us-east-1',
    tags: {},
    airflow: {
      version: '2.10.3',
      environmentClass: (over.cls ?? 'mw1.small') as EnvironmentSpec['airflow']['environmentClass'],
      schedulers: over.schedulers ?? 2,
      workers: { min: (over.workers ?? [1, 10])[0], max: (over.workers ?? [1, 10])[1] },
      webservers: { min: (over.webservers ?? [2, 2])[0], max: (over.webservers ?? [2, 2])[1] },
      webserverAccess: 'PRIVATE_ONLY',
      endpointManagement: 'SERVICE',
      configuration: {},
      logging: { dagProcessing: log, scheduler: log, task: log, worker: log, webserver: log, retentionDays: 30 },
    },
    network: (over.network ?? {
      mode: 'create', routing: 'public', vpcCidr: '10.0.0.0/16', publicSubnets: ['10.0.0.0/24', '10.0.1.0/24'],
      privateSubnets: ['10.0.2.0/24', '10.0.3.0/24'], natGateways: 'perAz', webAccessCidrs: [],
    }) as EnvironmentSpec['network'],
    bucket: { name: 'b', dagsPath: 'dags', noncurrentVersionExpirationDays: 30 },
    encryption: (over.kms === 'create' ? { kms: 'create' } : { kms: 'aws-owned' }) as EnvironmentSpec['encryption'],
    iam: { extraPolicyStatements: [], webAccess: {} },
    protection: { preventDestroy: false },
    state: { backend: 'local' },
  } as EnvironmentSpec;
}

const p = PRICING.regions['us-east-1'];
const H = PRICING.hoursPerMonth;
const r2 = (n: number) => Math.round(n * 100) / 100;

describe('estimateCost', () => {
  it('prices the environment hour, extra workers min..max and NAT gateways per AZ', () => {
    const e = estimateCost(spec({ workers: [1, 10] }));
    const env = p.mwaa['mw1.small'].environmentHourly.usd * H;
    const worker = p.mwaa['mw1.small'].additionalWorkerHourly!.usd * H;
    const nat = 2 * p.natGateway.hourly.usd * H;
    expect(e.lines.map((l) => l.item)).toEqual(['environment mw1.small', 'additional workers', 'NAT gateways']);
    expect(e.lines[1].quantity).toBe('0..9');
    expect(e.min).toBeCloseTo(r2(env) + r2(nat), 2);
    expect(e.max).toBeCloseTo(r2(env) + r2(9 * worker) + r2(nat), 2);
    expect(e.perGb[0].usd).toBe(p.natGateway.perGb.usd);
  });

  it('a single NAT gateway halves the NAT line; extra schedulers and webservers are billed', () => {
    const one = estimateCost(spec({ network: { mode: 'create', routing: 'public', vpcCidr: '10.0.0.0/16', publicSubnets: ['a', 'b'], privateSubnets: ['c', 'd'], natGateways: 'single', webAccessCidrs: [] } }));
    expect(one.lines.find((l) => l.item === 'NAT gateways')!.min).toBeCloseTo(r2(p.natGateway.hourly.usd * H), 2);
    const big = estimateCost(spec({ cls: 'mw1.large', schedulers: 4, webservers: [2, 5], workers: [3, 3] }));
    expect(big.lines.find((l) => l.item === 'additional schedulers')!.quantity).toBe('2');
    expect(big.lines.find((l) => l.item === 'additional webservers')!.quantity).toBe('0..3');
    expect(big.lines.find((l) => l.item === 'additional workers')!.quantity).toBe('2');
  });

  it('private routing pays for interface endpoints per AZ; existing networks cost nothing extra', () => {
    const priv = estimateCost(spec({ network: { mode: 'create', routing: 'private', vpcCidr: '10.0.0.0/16', publicSubnets: [], privateSubnets: ['c', 'd'], natGateways: 'perAz', webAccessCidrs: [] }, kms: 'create' }));
    const ep = priv.lines.find((l) => l.item === 'interface VPC endpoints')!;
    expect(ep.quantity).toBe('9 x 2 AZ');
    expect(ep.min).toBeCloseTo(r2(18 * p.interfaceEndpoint.hourlyPerAz.usd * H), 2);
    expect(priv.lines.map((l) => l.item)).toContain('KMS key');
    const existing = estimateCost(spec({ network: { mode: 'existing', vpcId: 'vpc-1', subnetIds: ['a', 'b'], securityGroupIds: ['sg'] } }));
    expect(existing.lines.map((l) => l.item)).toEqual(['environment mw1.small', 'additional workers']);
  });

  it('says when a Region is not priced and when figures are unverified', () => {
    const e = estimateCost(spec({ region: 'eu-west-1', cls: 'mw1.medium' }));
    expect(e.priceRegion).toBe('us-east-1');
    expect(e.notes.join('\n')).toMatch(/no prices for eu-west-1/);
    expect(e.unverified).toBe(true);
    const text = formatCosts([e], 'text');
    expect(text).toMatch(/dev \(mw1\.medium, eu-west-1\): \$[\d,.]+ – \$[\d,.]+\/month/);
    expect(formatCosts([e], 'markdown')).toContain('| Item | Quantity | Monthly |');
  });

  it('detects a moved range', () => {
    const a = estimateCost(spec({ workers: [1, 5] }));
    const b = estimateCost(spec({ workers: [1, 8] }));
    expect(costMoved(a, b)).toBe(true);
    expect(costMoved(a, estimateCost(spec({ workers: [1, 5] })))).toBe(false);
    expect(costMoved(undefined, b)).toBe(true);
  });
});
