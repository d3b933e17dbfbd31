"""The one exception the scan package raises for input it cannot read."""

from __future__ import annotations


class ReportError(Exception):
    """A report that cannot be read: unknown format, truncated or hostile file, not a report.

    `problem` is one short sentence a reviewer can act on; `path` names the file.
    """

    def __init__(self, problem: str, path: str = "") -> None:
        problem = " ".join(problem.split())  # always one line: the CLI prints one line
        super().__init__(problem)
        self.problem = problem
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem
