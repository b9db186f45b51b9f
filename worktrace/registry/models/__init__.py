"""The register: administrative units, organisations, people and the groups through which they meet."""

from worktrace.registry.models.conflicts import ConflictSource, ConflictStatus, IdentityConflict
from worktrace.registry.models.declarations import DECLARED_FIELDS, PersonDeclaration
from worktrace.registry.models.geo import Province, Ward
from worktrace.registry.models.groups import Group, GroupKind, Membership, MembershipRole
from worktrace.registry.models.org import Company, Facility, Zone, ZoneKind
from worktrace.registry.models.people import Employment, Person, Sex, TestOutcome, TestResult

__all__ = [
    "DECLARED_FIELDS",
    "Company",
    "ConflictSource",
    "ConflictStatus",
    "Employment",
    "Facility",
    "Group",
    "GroupKind",
    "IdentityConflict",
    "Membership",
    "MembershipRole",
    "Person",
    "PersonDeclaration",
    "Province",
    "Sex",
    "TestOutcome",
    "TestResult",
    "Ward",
    "Zone",
    "ZoneKind",
]
