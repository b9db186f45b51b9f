"""English screens keep Vietnamese date and number formats: the data and its readers are Vietnamese."""

from worktrace.formats.vi.formats import *  # noqa: F403
