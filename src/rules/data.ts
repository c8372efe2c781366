/**
 * Typed access to the data tables under data/ (Airflow versions, environment classes,
 * configuration options, Regions). The JSON is require()d so it is bundled with the build and
 * loaded once. Every table names its source in its "source" field.
 */
import type { EnvironmentClass } from '../spec/types';
import { regionEntries, regionEntry, type RegionEntry } from '../aws/partition';

const versionsTable = require('../../data/airflow-versions.json') as AirflowVersionsTable;
const classesTable = require('../../data/environment-classes.json') as EnvironmentClassesTable;
const optionsTable = require('../../data/configuration-options.json') as ConfigurationOptionsTable;
const artifactsTable = require('../../data/mwaa-artifacts.json') as ArtifactFactsTable;
const configChangesTable = require('../../data/airflow-config-changes.json') as ConfigChangesTable;
const upgradesTable = require('../../data/airflow-upgrades.json') as UpgradesTable;

export type VersionStatus = 'supported' | 'deprecated' | 'end-of-support';

export interface AirflowVersionInfo {
  version: string;
  python: string;
  status: VersionStatus;
  mwaaAvailableDate: string | null;
  limitedSupportDate: string | null;
  endOfSupportDate: string | null;
  verified: boolean;
  unverified?: string;
}

export type FeatureName =
  | 'minMaxWebservers'
  | 'webserverInstallsRequirements'
  | 'metricsAllowBlockList'
  | 'triggerer'
  | 'constraintRequired'
  | 'multipleSchedulers'
  | 'airflow3';

interface AirflowVersionsTable {
  source: string[];
  retrieved: string;
  versions: AirflowVersionInfo[];
  features: Record<FeatureName, { since: string; source: string }>;
}

export interface Range {
  min: number;
  max: number;
  default?: number;
}

export interface EnvironmentClassInfo {
  vcpu: number;
  memoryGb: number;
  dagCapacity: number;
  defaultConcurrentTasks: number;
  schedulers: Range;
  workers: { min: number; max: number; defaultMax: number; quota: number; hardMax: number };
  webservers: Range;
  workerAutoscaleDefault: string;
  triggererCapacity: number | null;
  maxParsingThreads: number;
  autoscaling: boolean;
}

interface EnvironmentClassesTable {
  source: string[];
  retrieved: string;
  classes: Record<EnvironmentClass, EnvironmentClassInfo>;
}

export interface OptionEntry {
  key: string;
  since?: string;
  until?: string;
  reason?: string;
}

interface ConfigurationOptionsTable {
  source: string[];
  retrieved: string;
  keyPattern: string;
  keyMaxLength: number;
  valueMaxLength: number;
  valuePattern: string;
  blocked: OptionEntry[];
  ignored: OptionEntry[];
  known: OptionEntry[];
}

export type RegionInfo = RegionEntry;

/** Compare dotted numeric versions: negative if a < b, 0 if equal, positive if a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10));
  const pb = b.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isFinite(pa[i]) ? pa[i] : 0;
    const y = Number.isFinite(pb[i]) ? pb[i] : 0;
    if (x !== y) return x - y;
  }
  return 0;
}

function inRange(version: string, entry: { since?: string; until?: string }): boolean {
  if (entry.since && compareVersions(version, entry.since) < 0) return false;
  if (entry.until && compareVersions(version, entry.until) >= 0) return false;
  return true;
}

export function airflowVersion(version: string): AirflowVersionInfo | undefined {
  return versionsTable.versions.find((v) => v.version === version);
}

/** Versions you can create today (status not end-of-support), newest first (version order). */
export function supportedVersions(): string[] {
  return versionsTable.versions
    .filter((v) => v.status !== 'end-of-support')
    .map((v) => v.version)
    .sort((a, b) => compareVersions(b, a));
}

/**
 * The version to suggest for a move from `from`: the newest supported version of the same major version, verified
 * rows preferred (a row checked against the User Guide), else the newest verified supported version of any major.
 */
export function suggestedVersion(from: string): string {
  const major = from.split('.')[0];
  const ok = versionsTable.versions.filter((v) => v.status !== 'end-of-support').sort((a, b) => compareVersions(b.version, a.version));
  const pick = (rows: AirflowVersionInfo[]) => rows.find((v) => v.verified)?.version ?? rows[0]?.version;
  return pick(ok.filter((v) => v.version.split('.')[0] === major)) ?? pick(ok) ?? '';
}

export function hasFeature(version: string, feature: FeatureName): boolean {
  return compareVersions(version, versionsTable.features[feature].since) >= 0;
}

export function featureSince(feature: FeatureName): string {
  return versionsTable.features[feature].since;
}

export function environmentClass(name: EnvironmentClass): EnvironmentClassInfo | undefined {
  return classesTable.classes[name];
}

export function configKeyPattern(): RegExp {
  return new RegExp(optionsTable.keyPattern);
}

export function configValuePattern(): RegExp {
  return new RegExp(optionsTable.valuePattern);
}

export function configLimits(): { keyMaxLength: number; valueMaxLength: number } {
  return { keyMaxLength: optionsTable.keyMaxLength, valueMaxLength: optionsTable.valueMaxLength };
}

export function blockedOption(key: string, version: string): OptionEntry | undefined {
  return optionsTable.blocked.find((o) => o.key === key && inRange(version, o));
}

export function ignoredOption(key: string): OptionEntry | undefined {
  return optionsTable.ignored.find((o) => o.key === key);
}

/** Known options for a version (curated list, see data/configuration-options.json notes). */
export function isKnownOption(key: string, version: string): boolean {
  return optionsTable.known.some((o) => o.key === key && inRange(version, o));
}

/** Whether the option existed in some other Airflow version (renamed or removed). */
export function knownInOtherVersions(key: string): OptionEntry[] {
  return optionsTable.known.filter((o) => o.key === key);
}

/** Sections that contain at least one known option for this version (or any version). */
export function isKnownSection(section: string): boolean {
  return (
    optionsTable.known.some((o) => o.key.startsWith(section + '.')) ||
    optionsTable.blocked.some((o) => o.key.startsWith(section + '.'))
  );
}

export function knownOptionsInSection(section: string, version: string): string[] {
  return optionsTable.known.filter((o) => o.key.startsWith(section + '.') && inRange(version, o)).map((o) => o.key);
}

/** Regions and partitions come from src/aws/partition.ts (data/regions.json, data/partitions.json). */
export function region(name: string): RegionInfo | undefined {
  return regionEntry(name);
}

export function regions(): readonly RegionInfo[] {
  return regionEntries();
}

/* ---- artifacts (requirements.txt, plugins.zip, startup script): data/mwaa-artifacts.json ---- */

export interface ArtifactFactsTable {
  source: string[];
  retrieved: string;
  requirements: {
    officialConstraintUrl: string;
    officialConstraintTemplate: string;
    dagsDir: string;
    pluginsDir: string;
    maxTextBytes: number;
    reference: string;
    bestPractices: string;
  };
  plugins: { maxArchiveBytes: number; maxUncompressedBytes: number; recommendedMode: string; reference: string };
  platform: { arch: string; implementation: string; glibc: Array<{ since: string; glibc: string; os: string; unverified?: string }> };
  startupScript: { reference: string; reservedVariables: string[] };
}

export function artifactFacts(): ArtifactFactsTable {
  return artifactsTable;
}

/** The MWAA image platform for an Airflow version: glibc (manylinux level), OS, CPU architecture. */
export function mwaaPlatform(version: string): { glibc: string; os: string; arch: string; implementation: string } {
  const row = artifactsTable.platform.glibc.find((g) => compareVersions(version, g.since) >= 0) ?? artifactsTable.platform.glibc[artifactsTable.platform.glibc.length - 1];
  return { glibc: row.glibc, os: row.os, arch: artifactsTable.platform.arch, implementation: artifactsTable.platform.implementation };
}

/* ---- configuration options renamed or removed between Airflow versions: data/airflow-config-changes.json ---- */

export interface ConfigChange {
  key: string;
  /** First Airflow version without the option. */
  until: string;
  renamedTo?: string;
  note?: string;
}

interface ConfigChangesTable {
  source: string[];
  retrieved: string;
  changes: ConfigChange[];
}

/** The rename/removal of `key` that happens when going from `from` to `to` (from < until <= to), if any. */
export function configChangeBetween(key: string, from: string, to: string): ConfigChange | undefined {
  return configChangesTable.changes.find((c) => c.key === key && compareVersions(from, c.until) < 0 && compareVersions(to, c.until) >= 0);
}

/* ---- Airflow version changes on MWAA: data/airflow-upgrades.json ---- */

interface UpgradesTable {
  source: string[];
  retrieved: string;
  downtime: string;
  reference: string;
  majorDowngradeTargets: Record<string, string>;
  inPlaceMajorFrom: Record<string, string>;
}

export function upgradeFacts(): UpgradesTable {
  return upgradesTable;
}
