"""worktrace: register of factory workers and F0/F1/F2 contact tracing for a province."""

__version__ = "0.1.0"
