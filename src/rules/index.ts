/**
 * The rule registry: every MWAA rule module, listed once. The engine (src/engine/validate.ts) runs
 * SPEC_RULES on each environment that passed the schema, then CROSS_RULES across all of them.
 * Owned by the rules modules; the engine only reads these two arrays. docs/rules.md is generated
 * from this list (scripts/gen-rules-doc.ts; a test keeps it in sync).
 */
import type { CrossRule, SpecRule } from './types';

import { rule as EnvironmentNameValid } from './naming/EnvironmentNameValid';
import { rule as DerivedResourceNamesFit } from './naming/DerivedResourceNamesFit';
import { rule as RegionSupported } from './airflow/RegionSupported';
import { rule as AirflowVersionSupported } from './airflow/AirflowVersionSupported';
import { rule as SchedulerCountWithinClassLimits } from './airflow/SchedulerCountWithinClassLimits';
import { rule as WorkerCountWithinClassLimits } from './airflow/WorkerCountWithinClassLimits';
import { rule as WebserverCountWithinClassLimits } from './airflow/WebserverCountWithinClassLimits';
import { rule as MinNotAboveMax } from './airflow/MinNotAboveMax';
import { rule as MaintenanceWindowFormat } from './airflow/MaintenanceWindowFormat';
import { rule as CustomerEndpointsTwoPhase } from './airflow/CustomerEndpointsTwoPhase';
import { rule as ConfigurationKeyWellFormed } from './configuration/ConfigurationKeyWellFormed';
import { rule as ConfigurationKeyNotBlocked } from './configuration/ConfigurationKeyNotBlocked';
import { rule as ConfigurationKeyKnown } from './configuration/ConfigurationKeyKnown';
import { rule as ConfigurationKeyNotIgnored } from './configuration/ConfigurationKeyNotIgnored';
import { rule as WorkerAutoscaleFormat } from './configuration/WorkerAutoscaleFormat';
import { rule as ParsingProcessesWithinClassCpu } from './configuration/ParsingProcessesWithinClassCpu';
import { rule as DagbagImportTimeoutBelowProcessorTimeout } from './configuration/DagbagImportTimeoutBelowProcessorTimeout';
import { rule as SerializedDagFetchAboveUpdateInterval } from './configuration/SerializedDagFetchAboveUpdateInterval';
import { rule as SecretsBackendMatchesIam } from './configuration/SecretsBackendMatchesIam';
import { rule as PluginsRequireLazyLoadFalse } from './configuration/PluginsRequireLazyLoadFalse';
import { rule as TaskLogsEnabled } from './logging/TaskLogsEnabled';
import { rule as CidrsValid } from './network/CidrsValid';
import { rule as SubnetsInsideVpcCidr } from './network/SubnetsInsideVpcCidr';
import { rule as SubnetsDoNotOverlap } from './network/SubnetsDoNotOverlap';
import { rule as SubnetCountsMatchRouting } from './network/SubnetCountsMatchRouting';
import { rule as PrivateRoutingRequiresPrivateWebserver } from './network/PrivateRoutingRequiresPrivateWebserver';
import { rule as ExistingNetworkWellFormed } from './network/ExistingNetworkWellFormed';
import { rule as WebAccessCidrsNeedPrivateWebserver } from './network/WebAccessCidrsNeedPrivateWebserver';
import { rule as AvailabilityZoneIdsValid } from './network/AvailabilityZoneIdsValid';
import { rule as ExtraEndpointsKnown } from './network/ExtraEndpointsKnown';
import { rule as EndpointServicesVerifiedInPartition } from './network/EndpointServicesVerifiedInPartition';
import { rule as BucketNameValid } from './s3/BucketNameValid';
import { rule as ExistingBucketArnWellFormed } from './s3/ExistingBucketArnWellFormed';
import { rule as DagsPathValid } from './s3/DagsPathValid';
import { rule as KmsKeyArnValid } from './kms/KmsKeyArnValid';
import { rule as ExistingKeyAllowsCloudWatchLogs } from './kms/ExistingKeyAllowsCloudWatchLogs';
import { rule as WebAccessRolesValid } from './iam/WebAccessRolesValid';
import { rule as WebAccessRolesInDeployingAccount } from './iam/WebAccessRolesInDeployingAccount';
import { rule as ExtraPolicyStatementsNotWildcard } from './iam/ExtraPolicyStatementsNotWildcard';
import { rule as PermissionsBoundaryArnValid } from './iam/PermissionsBoundaryArnValid';
import { rule as ExistingRoleIgnoresCreatedRoleFields } from './iam/ExistingRoleIgnoresCreatedRoleFields';
import { rule as PinnedArtifactInExistingBucket } from './s3/PinnedArtifactInExistingBucket';
import { rule as TagsWithinLimits } from './tags/TagsWithinLimits';
import { rule as S3BackendComplete } from './state/S3BackendComplete';
import { rule as ArtifactKeysDistinct } from './artifacts/ArtifactKeysDistinct';
import { rule as ArtifactTextReadable } from './artifacts/ArtifactTextReadable';
import { rule as RequirementsConstraintMatchesVersion } from './artifacts/RequirementsConstraintMatchesVersion';
import { rule as AirflowNotPinnedInRequirements } from './artifacts/AirflowNotPinnedInRequirements';
import { rule as RequirementSpecifierValid } from './artifacts/RequirementSpecifierValid';
import { rule as RequirementsPinned } from './artifacts/RequirementsPinned';
import { rule as PrivateNetworkRequirementsFromBucket } from './artifacts/PrivateNetworkRequirementsFromBucket';
import { rule as RequirementsResolve } from './artifacts/RequirementsResolve';
import { rule as PluginsArchiveReadable } from './artifacts/PluginsArchiveReadable';
import { rule as PluginsAtArchiveRoot } from './artifacts/PluginsAtArchiveRoot';
import { rule as PluginsPathsStayInside } from './artifacts/PluginsPathsStayInside';
import { rule as PluginsSizeWithinLimits } from './artifacts/PluginsSizeWithinLimits';
import { rule as PluginsWheelsMatchPython } from './artifacts/PluginsWheelsMatchPython';
import { rule as PluginsReadableByAirflow } from './artifacts/PluginsReadableByAirflow';
import { rule as StartupScriptUnixLineEndings } from './artifacts/StartupScriptUnixLineEndings';
import { rule as StartupScriptShellSyntax } from './artifacts/StartupScriptShellSyntax';
import { rule as StartupScriptNoReservedVariables } from './artifacts/StartupScriptNoReservedVariables';
import { rule as EnvironmentNamesUnique } from './cross/EnvironmentNamesUnique';
import { rule as BucketNamesUnique } from './cross/BucketNamesUnique';

export const SPEC_RULES: SpecRule[] = [
  EnvironmentNameValid,
  DerivedResourceNamesFit,
  RegionSupported,
  AirflowVersionSupported,
  SchedulerCountWithinClassLimits,
  WorkerCountWithinClassLimits,
  WebserverCountWithinClassLimits,
  MinNotAboveMax,
  MaintenanceWindowFormat,
  CustomerEndpointsTwoPhase,
  ConfigurationKeyWellFormed,
  ConfigurationKeyNotBlocked,
  ConfigurationKeyKnown,
  ConfigurationKeyNotIgnored,
  WorkerAutoscaleFormat,
  ParsingProcessesWithinClassCpu,
  DagbagImportTimeoutBelowProcessorTimeout,
  SerializedDagFetchAboveUpdateInterval,
  SecretsBackendMatchesIam,
  PluginsRequireLazyLoadFalse,
  TaskLogsEnabled,
  CidrsValid,
  SubnetsInsideVpcCidr,
  SubnetsDoNotOverlap,
  SubnetCountsMatchRouting,
  PrivateRoutingRequiresPrivateWebserver,
  ExistingNetworkWellFormed,
  WebAccessCidrsNeedPrivateWebserver,
  AvailabilityZoneIdsValid,
  ExtraEndpointsKnown,
  EndpointServicesVerifiedInPartition,
  BucketNameValid,
  ExistingBucketArnWellFormed,
  DagsPathValid,
  KmsKeyArnValid,
  ExistingKeyAllowsCloudWatchLogs,
  WebAccessRolesValid,
  WebAccessRolesInDeployingAccount,
  ExtraPolicyStatementsNotWildcard,
  PermissionsBoundaryArnValid,
  ExistingRoleIgnoresCreatedRoleFields,
  PinnedArtifactInExistingBucket,
  TagsWithinLimits,
  S3BackendComplete,
  ArtifactKeysDistinct,
  ArtifactTextReadable,
  RequirementsConstraintMatchesVersion,
  AirflowNotPinnedInRequirements,
  RequirementSpecifierValid,
  RequirementsPinned,
  PrivateNetworkRequirementsFromBucket,
  RequirementsResolve,
  PluginsArchiveReadable,
  PluginsAtArchiveRoot,
  PluginsPathsStayInside,
  PluginsSizeWithinLimits,
  PluginsWheelsMatchPython,
  PluginsReadableByAirflow,
  StartupScriptUnixLineEndings,
  StartupScriptShellSyntax,
  StartupScriptNoReservedVariables,
];

export const CROSS_RULES: CrossRule[] = [EnvironmentNamesUnique, BucketNamesUnique];
