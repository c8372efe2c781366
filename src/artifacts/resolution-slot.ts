/**
 * Which resolution belongs to which environment: `validate --resolve` resolves each distinct (requirements file,
 * content, Airflow version) once and hands the results to the engine keyed by this slot. Pure.
 */
import type { RequirementsFile } from './model';

export function resolutionSlot(req: Pick<RequirementsFile, 'file' | 'sha256'>, airflowVersion: string): string {
  return `${req.file}|${req.sha256}|${airflowVersion}`;
}
