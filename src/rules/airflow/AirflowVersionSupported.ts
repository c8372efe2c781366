import { airflowVersion, suggestedVersion, supportedVersions, upgradeFacts } from '../data';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

const DAY = 24 * 3600 * 1000;
/** Warn this many days before a limited-support or end-of-support date (AWS announces >= 90 days ahead). */
const WARN_DAYS = 90;

function date(s: string): Date {
  return new Date(s + 'T00:00:00Z');
}

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-002',
    severity: 'error',
    description: 'The Airflow version is offered by MWAA and not past limited support / end of support (data/airflow-versions.json, today injected).',
    // sources (developer notes): guide check 15; MWAA User Guide notes 6.6; MWAA User Guide "Apache Airflow versions" (data/airflow-versions.json)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/airflow-versions.html',
  },
  check({ spec, today }) {
    const out: Violation[] = [];
    const version = spec.airflow.version;
    const info = airflowVersion(version);
    const major = version.split('.')[0];
    const newest = suggestedVersion(version);
    // The provider replaces the environment when the major version goes up, and the guide upgrades a major version
    // in place only from the versions listed in data/airflow-upgrades.json (inPlaceMajorFrom).
    const crossMajor = newest.split('.')[0] !== major;
    const inPlaceFrom = upgradeFacts().inPlaceMajorFrom[major];
    const upgradeFix = (verb: string): string =>
      crossMajor && !(inPlaceFrom && version.startsWith(`${inPlaceFrom}.`))
        ? `No Airflow ${major}.x version is offered any more, and a move to Airflow ${newest.split('.')[0]} is not an in-place upgrade: it creates a new environment (Terraform replaces this one; its metadata database is not carried over). Create a new environment with version: "${newest}", migrate the DAGs and requirements to Airflow ${newest.split('.')[0]}, then remove this one (${upgradeFacts().reference}).`
        : `${verb} version: "${newest}".`;
    if (!info) {
      out.push(
        v('airflow.version', `Airflow version "${version}" is not offered by Amazon MWAA.`, `Use one of: ${supportedVersions().join(', ')} (e.g. version: "${newest}").`),
      );
      return out;
    }
    const now = today.getTime();
    const eos = info.endOfSupportDate ? date(info.endOfSupportDate) : undefined;
    const limited = info.limitedSupportDate ? date(info.limitedSupportDate) : undefined;
    // Dates decide when known (so `today` can be injected); the status field only when there is no date.
    const pastEos = eos ? now >= eos.getTime() : info.status === 'end-of-support';
    if (pastEos) {
      out.push(
        v(
          'airflow.version',
          `Airflow ${version} reached end of support on MWAA${info.endOfSupportDate ? ' on ' + info.endOfSupportDate : ''}; new environments cannot be created with it.`,
          upgradeFix('Upgrade in place to a supported version, e.g.'),
        ),
      );
      return out;
    }
    if (limited && now >= limited.getTime()) {
      out.push(
        v(
          'airflow.version',
          `Airflow ${version} is in limited support since ${info.limitedSupportDate}: new environments cannot be created with it${info.endOfSupportDate ? '; end of support ' + info.endOfSupportDate : ''}.`,
          upgradeFix('Upgrade to'),
        ),
      );
      return out;
    }
    const next = [limited && ['limited support', info.limitedSupportDate], eos && ['end of support', info.endOfSupportDate]].find(
      (x) => x && date(x[1] as string).getTime() - now <= WARN_DAYS * DAY,
    ) as [string, string] | undefined;
    if (next) {
      out.push(
        v('airflow.version', `Airflow ${version} reaches ${next[0]} on MWAA on ${next[1]}.`, upgradeFix('Plan the upgrade to'), { severity: 'warning' }),
      );
    } else if (info.status === 'deprecated') {
      out.push(v('airflow.version', `Airflow ${version} is deprecated on MWAA.`, upgradeFix('Plan the upgrade to'), { severity: 'warning' }));
    }
    return out;
  },
};
