"""The synthetic province: the same generator feeds `worktrace demo`, the tests and the benchmarks.

Deterministic for a given seed and reference date. Shapes follow the seeds: companies of a few dozen to
several thousand workers in industrial zones and outside them, workshops of ~150 and teams of ~25, boarding
houses whose rooms mix workers of different companies with non-worker roommates, shuttle buses with drivers
and daily trips, vaccinations and recent tests, and a few people holding jobs at two companies.

Modules by concern: ``base`` (random source, keys, collected rows), ``people``, ``organisation`` (zones,
companies, workshops, teams, jobs), ``places`` (boarding houses, buses, trips), ``province`` (drawing in order
and writing in bulk).
"""

from worktrace.demo.generator.province import DemoResult, ProvinceBuilder, demo_build, demo_exists

__all__ = ["DemoResult", "ProvinceBuilder", "demo_build", "demo_exists"]
