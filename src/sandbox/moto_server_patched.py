"""moto_server with one documented emulator fix, used by test/support/moto.ts.

moto 5.1.22 drops the description of a security-group rule that references another security group:
SecurityGroupRule.description reads only the CIDR range's Description, never the source group's, so
DescribeSecurityGroupRules answers no description and Terraform sees a perpetual diff on
aws_vpc_security_group_ingress_rule.description. Real EC2 returns it. The patch falls back to the source
group's Description; nothing else changes.
"""
import sys

from moto.ec2.models.security_groups import SecurityGroupRule


def _description(self):
    return self.ip_range.get("Description") or (self.source_group or {}).get("Description")


SecurityGroupRule.description = property(_description)

from moto.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
