/**
 * Monthly cost range of an environment from its typed spec and the priced table data/pricing.json. Pure.
 *
 * Range: the low end runs min workers and min webservers, the high end max workers and max webservers,
 * all day every day (hoursPerMonth). Counts above what the environment hour includes are billed at the
 * class's "additional" rates. NAT gateways (create + public routing: one per AZ or one) and interface VPC
 * endpoints (exactly those the stack creates, src/aws/endpoints.ts: one per service per subnet/AZ) are added
 * hourly; their per-GB
 * processing is reported as a rate, not in the total (traffic is not known from the spec).
 */
import type { EnvironmentSpec } from '../spec/types';
import pricingTable from '../../data/pricing.json';
import { endpointServicesFor } from '../aws/endpoints';

export interface PricedFigure {
  usd: number;
  status: 'secondary' | 'unverified' | 'verified';
}

export interface ClassPrices {
  environmentHourly: PricedFigure;
  additionalWorkerHourly: PricedFigure | null;
  additionalSchedulerHourly: PricedFigure | null;
  additionalWebserverHourly: PricedFigure | null;
  included: { schedulers: number; workers: number; webservers: number };
}

export interface RegionPrices {
  mwaa: Record<string, ClassPrices>;
  natGateway: { hourly: PricedFigure; perGb: PricedFigure };
  interfaceEndpoint: { hourlyPerAz: PricedFigure; perGb: PricedFigure };
  kmsKey: { monthly: PricedFigure };
}

export interface PricingTable {
  source: string[];
  retrieved: string;
  currency: string;
  hoursPerMonth: number;
  regions: Record<string, RegionPrices>;
}

export const PRICING: PricingTable = pricingTable as unknown as PricingTable;

export interface CostLine {
  item: string;
  quantity: string;
  /** Monthly, USD. */
  min: number;
  max: number;
  /** Some price used for this line is not verified against AWS's page. */
  unverified: boolean;
}

export interface CostEstimate {
  name: string;
  region: string;
  /** Region whose prices were used (differs from `region` when that Region is not in the table). */
  priceRegion: string;
  environmentClass: string;
  currency: string;
  min: number;
  max: number;
  lines: CostLine[];
  /** Per-GB rates not included in the total. */
  perGb: { item: string; usd: number }[];
  notes: string[];
  unverified: boolean;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const isUnverified = (...figs: (PricedFigure | null | undefined)[]): boolean =>
  figs.some((f) => f != null && f.status !== 'verified' && f.status !== 'secondary');

export function estimateCost(spec: EnvironmentSpec, table: PricingTable = PRICING): CostEstimate {
  const notes: string[] = [];
  let priceRegion = spec.region;
  if (!table.regions[priceRegion]) {
    priceRegion = 'us-east-1';
    notes.push(`no prices for ${spec.region} in data/pricing.json; estimated with ${priceRegion} prices`);
  }
  const rp = table.regions[priceRegion];
  const hours = table.hoursPerMonth;
  const cls = spec.airflow.environmentClass;
  const cp = rp.mwaa[cls];
  if (!cp) throw new Error(`no prices for environment class ${cls} in data/pricing.json`);
  const lines: CostLine[] = [];
  const env = cp.environmentHourly.usd * hours;
  lines.push({ item: `environment ${cls}`, quantity: '1', min: env, max: env, unverified: isUnverified(cp.environmentHourly) });

  const extra = (
    label: string,
    lo: number,
    hi: number,
    included: number,
    price: PricedFigure | null,
  ): void => {
    const xl = Math.max(0, lo - included);
    const xh = Math.max(0, hi - included);
    if (xh === 0) return;
    if (!price) {
      notes.push(`${cls} has no price for additional ${label}s; ${xh} not priced`);
      return;
    }
    lines.push({
      item: `additional ${label}s`,
      quantity: xl === xh ? `${xl}` : `${xl}..${xh}`,
      min: xl * price.usd * hours,
      max: xh * price.usd * hours,
      unverified: isUnverified(price),
    });
  };
  const a = spec.airflow;
  extra('scheduler', a.schedulers, a.schedulers, cp.included.schedulers, cp.additionalSchedulerHourly);
  extra('worker', a.workers.min, a.workers.max, cp.included.workers, cp.additionalWorkerHourly);
  extra('webserver', a.webservers.min, a.webservers.max, cp.included.webservers, cp.additionalWebserverHourly);

  const perGb: { item: string; usd: number }[] = [];
  if (spec.network.mode === 'create') {
    if (spec.network.routing === 'public') {
      const n = spec.network.natGateways === 'single' ? 1 : spec.network.publicSubnets.length || 2;
      const m = n * rp.natGateway.hourly.usd * hours;
      lines.push({ item: 'NAT gateways', quantity: `${n}`, min: m, max: m, unverified: isUnverified(rp.natGateway.hourly) });
      perGb.push({ item: 'NAT gateway data processed, per GB', usd: rp.natGateway.perGb.usd });
    }
    // Exactly the interface endpoints the stack creates (src/aws/endpoints.ts; the S3 gateway endpoint is free).
    const services = endpointServicesFor(spec).interface.length;
    if (services > 0) {
      const azs = spec.network.privateSubnets.length || 2;
      const m = services * azs * rp.interfaceEndpoint.hourlyPerAz.usd * hours;
      lines.push({
        item: 'interface VPC endpoints',
        quantity: `${services} x ${azs} AZ`,
        min: m,
        max: m,
        unverified: isUnverified(rp.interfaceEndpoint.hourlyPerAz),
      });
      perGb.push({ item: 'interface endpoint data processed, per GB', usd: rp.interfaceEndpoint.perGb.usd });
    }
  }
  if (spec.encryption.kms === 'create') {
    const k = rp.kmsKey.monthly.usd;
    lines.push({ item: 'KMS key', quantity: '1', min: k, max: k, unverified: isUnverified(rp.kmsKey.monthly) });
  }
  for (const l of lines) {
    l.min = round2(l.min);
    l.max = round2(l.max);
  }
  const unverified = lines.some((l) => l.unverified);
  if (unverified) notes.push('some prices are unverified (see data/pricing.json status fields)');
  return {
    name: spec.name,
    region: spec.region,
    priceRegion,
    environmentClass: cls,
    currency: table.currency,
    min: round2(lines.reduce((s, l) => s + l.min, 0)),
    max: round2(lines.reduce((s, l) => s + l.max, 0)),
    lines,
    perGb,
    notes,
    unverified,
  };
}

export function money(n: number, maxDecimals = 2): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: maxDecimals })}`;
}

export function formatRange(e: { min: number; max: number }): string {
  return e.min === e.max ? `${money(e.min)}/month` : `${money(e.min)} – ${money(e.max)}/month`;
}

export type CostFormat = 'text' | 'markdown' | 'json';

export function formatCosts(estimates: CostEstimate[], format: CostFormat): string {
  if (format === 'json') return `${JSON.stringify({ estimates }, null, 2)}\n`;
  const out: string[] = [];
  for (const e of estimates) {
    if (format === 'markdown') {
      out.push(`### \`${e.name}\` (${e.environmentClass}, ${e.region}): ${formatRange(e)}${e.unverified ? ' *(approximate)*' : ''}`, '');
      out.push('| Item | Quantity | Monthly |', '|---|---|---|');
      for (const l of e.lines) {
        out.push(`| ${l.item}${l.unverified ? ' †' : ''} | ${l.quantity} | ${formatRange(l).replace('/month', '')} |`);
      }
      for (const p of e.perGb) out.push(`| ${p.item} | usage | ${money(p.usd, 4)}/GB, not in total |`);
      out.push('');
      for (const n of e.notes) out.push(`- ${n}`);
      out.push('');
    } else {
      out.push(`${e.name} (${e.environmentClass}, ${e.region}): ${formatRange(e)}`);
      for (const l of e.lines) {
        out.push(`  ${l.item.padEnd(28)} ${l.quantity.padEnd(12)} ${formatRange(l).replace('/month', '')}${l.unverified ? ' (unverified price)' : ''}`);
      }
      for (const p of e.perGb) out.push(`  ${p.item}: ${money(p.usd, 4)} (not in total)`);
      for (const n of e.notes) out.push(`  note: ${n}`);
    }
  }
  if (format === 'markdown') out.push(`Prices: data/pricing.json (retrieved ${PRICING.retrieved}); † = price not verified against AWS's pricing page.`, '');
  else out.push(`prices: data/pricing.json, retrieved ${PRICING.retrieved}`);
  return `${out.join('\n')}\n`;
}

/** Whether a change moves the cost range (used by the PR comment). */
export function costMoved(before: CostEstimate | undefined, after: CostEstimate | undefined): boolean {
  if (!before || !after) return before !== after;
  return before.min !== after.min || before.max !== after.max;
}
