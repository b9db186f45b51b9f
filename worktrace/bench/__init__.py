"""Benchmarks: `worktrace bench NAME [options]` runs ``worktrace.bench.<NAME>.main(argv)`` (``import`` → ``import_``).

Each module parses its own options and prints its figures; they are benchmarks, not tests (docs/performance.md).
"""
