"""moto_server with documented emulator fixes, used by src/sandbox/moto.ts.

1. moto 5.1.22 drops the description of a security-group rule that references another security group:
   SecurityGroupRule.description reads only the CIDR range's Description, never the source group's, so
   DescribeSecurityGroupRules answers no description and Terraform sees a perpetual diff on
   aws_vpc_security_group_ingress_rule.description. Real EC2 returns it. The patch falls back to the source
   group's Description.
2. moto 5.1.22 drops NewerNoncurrentVersions from a lifecycle rule's NoncurrentVersionExpiration (it keeps it only
   for NoncurrentVersionTransition), so GetBucketLifecycleConfiguration answers without it and Terraform sees a
   perpetual diff on noncurrent_version_expiration.newer_noncurrent_versions. Real S3 returns it (S3 API
   NoncurrentVersionExpiration.NewerNoncurrentVersions). The patch stores it per rule and writes it back.
Nothing else changes.
"""
import sys

from moto.ec2.models.security_groups import SecurityGroupRule


def _description(self):
    return self.ip_range.get("Description") or (self.source_group or {}).get("Description")


SecurityGroupRule.description = property(_description)

from moto.s3 import models as s3_models, responses as s3_responses  # noqa: E402

_set_lifecycle = s3_models.FakeBucket.set_lifecycle


def _set_lifecycle_keeping_newer_versions(self, rules):
    _set_lifecycle(self, rules)
    for rule, stored in zip(rules, self.rules):
        nve = rule.get("NoncurrentVersionExpiration") or {}
        stored.nve_newer_versions = nve.get("NewerNoncurrentVersions")


s3_models.FakeBucket.set_lifecycle = _set_lifecycle_keeping_newer_versions
_NVE = "<NoncurrentDays>{{ rule.nve_noncurrent_days }}</NoncurrentDays>"
assert _NVE in s3_responses.S3_BUCKET_LIFECYCLE_CONFIGURATION, "moto lifecycle template changed; revisit patch 2"
s3_responses.S3_BUCKET_LIFECYCLE_CONFIGURATION = s3_responses.S3_BUCKET_LIFECYCLE_CONFIGURATION.replace(
    _NVE,
    "{% if rule.nve_newer_versions %}<NewerNoncurrentVersions>{{ rule.nve_newer_versions }}</NewerNoncurrentVersions>{% endif %}" + _NVE,
)

from moto.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
