"""The two ways input can be wrong: a broken criteria set, or answers that do not fit one."""

from __future__ import annotations


class CriteriaError(ValueError):
    """A criteria set that cannot be loaded. The message names the file, the place and the problem.

    `where` is e.g. "item 1-1-2", "rules.new" or "" for the file as a whole.
    """

    def __init__(self, source: str, where: str, problem: str) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        parts = [part for part in (source, where, problem) if part]
        super().__init__(": ".join(parts))


class AnswerError(ValueError):
    """Answers that do not fit the criteria set: unknown code, wrong kind, out of range, ..."""
