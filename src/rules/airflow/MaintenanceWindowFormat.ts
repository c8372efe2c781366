import type { SpecRule } from '../types';
import { v } from '../util';

const RE = /^(MON|TUE|WED|THU|FRI|SAT|SUN):([01]\d|2[0-3]):(00|30)$/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-007',
    severity: 'error',
    description: 'maintenanceWindow is DAY:HH:MM (UTC): MON..SUN, hour 00-23, minutes 00 or 30.',
    // sources: MWAA API CreateEnvironment WeeklyMaintenanceWindowStart (pattern (MON|TUE|WED|THU|FRI|SAT|SUN):([01]\\d|2[0-3]):(00|30), 30-minute increments)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html',
  },
  check({ spec }) {
    const w = spec.airflow.maintenanceWindow;
    if (w === undefined || w === null || RE.test(w)) return [];
    let why = 'expected DAY:HH:MM';
    const m = /^([A-Za-z]+):(\d\d):(\d\d)$/.exec(w);
    if (m) {
      if (!/^(MON|TUE|WED|THU|FRI|SAT|SUN)$/.test(m[1])) why = `day "${m[1]}" must be one of MON, TUE, WED, THU, FRI, SAT, SUN (upper case)`;
      else if (Number(m[2]) > 23) why = `hour ${m[2]} must be 00-23`;
      else why = `minutes ${m[3]} must be 00 or 30 (30-minute increments)`;
    }
    return [v('airflow.maintenanceWindow', `maintenanceWindow "${w}" is invalid: ${why}.`, 'Write it like maintenanceWindow: "SUN:03:00" (UTC).')];
  },
};
