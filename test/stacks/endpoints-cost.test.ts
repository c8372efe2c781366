/**
 * One list of VPC endpoints (src/aws/endpoints.ts): the cost estimate prices exactly the interface endpoints the
 * synthesized stack contains, for the repository's examples and for every routing / secrets / extras combination.
 */
import * as path from 'path';
import { validateFiles, discoverEnvironments } from '../../src/engine/validate';
import { estimateCost } from '../../src/gitops/cost';
import type { EnvironmentSpec } from '../../src/spec/types';
import { devSpec, existingSpec, privateSpec, synthSpec } from './fixtures';

const REPO = path.resolve(__dirname, '..', '..');

function interfaceEndpointsInStack(spec: EnvironmentSpec): number {
  const eps = synthSpec(spec, { repoRoot: REPO }).resource.aws_vpc_endpoint ?? {};
  return Object.values<any>(eps).filter((e) => e.vpc_endpoint_type === 'Interface').length;
}

function pricedInterfaceEndpoints(spec: EnvironmentSpec): number {
  const line = estimateCost(spec).lines.find((l) => l.item === 'interface VPC endpoints');
  if (!line) return 0;
  const m = /^(\d+) x (\d+) AZ$/.exec(line.quantity);
  if (!m) throw new Error(`unexpected quantity ${line.quantity}`);
  return Number(m[1]);
}

function examples(): EnvironmentSpec[] {
  const report = validateFiles(discoverEnvironments(REPO), { repoRoot: REPO });
  return report.environments.map((e) => {
    if (!e.spec) throw new Error(`${e.file} does not validate`);
    return e.spec;
  });
}

describe('the cost estimate prices exactly the interface endpoints the stack creates', () => {
  it('analytics-prod (private routing + Secrets Manager backend) gets a secretsmanager endpoint, and is priced for it', () => {
    const prod = examples().find((s) => s.name === 'analytics-prod')!;
    const eps = synthSpec(prod, { repoRoot: REPO }).resource.aws_vpc_endpoint;
    expect(eps.endpoint_secretsmanager).toMatchObject({ service_name: 'com.amazonaws.us-east-1.secretsmanager', vpc_endpoint_type: 'Interface' });
    expect(interfaceEndpointsInStack(prod)).toBe(10);
    expect(pricedInterfaceEndpoints(prod)).toBe(10);
  });

  it('for every example and every routing / secrets backend / extra-endpoint combination', () => {
    const specs: EnvironmentSpec[] = [...examples(), devSpec(), privateSpec(), existingSpec()];
    const sb = { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' };
    for (const base of [devSpec(), privateSpec()]) {
      for (const secrets of [false, true]) {
        for (const extras of [[], ['sts'], ['glue', 'athena', 'secretsmanager']]) {
          if (base.network.mode !== 'create') continue;
          specs.push({
            ...base,
            iam: { ...base.iam, secretsBackend: secrets ? sb : undefined },
            network: { ...base.network, extraEndpoints: base.network.routing === 'private' && secrets ? extras.filter((e) => e !== 'secretsmanager') : extras },
          });
        }
      }
    }
    for (const s of specs) {
      const label = `${s.name} ${s.network.mode === 'create' ? `${s.network.routing} ${(s.network.extraEndpoints ?? []).join('+')}` : 'existing'} secrets=${!!s.iam.secretsBackend}`;
      expect({ label, priced: pricedInterfaceEndpoints(s) }).toEqual({ label, priced: interfaceEndpointsInStack(s) });
    }
  });
});
