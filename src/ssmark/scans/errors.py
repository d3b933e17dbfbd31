"""The one exception the scan package raises for input it cannot read.

Every refusal has a stable `code` and its `params`, so an application can say it in its
own language (issue 15); `problem` is the English sentence the CLI prints.
"""

from __future__ import annotations

from collections.abc import Mapping

# code -> English sentence ({name} placeholders filled from params).
MESSAGES: Mapping[str, str] = {
    "not_a_report": "not a report: this is {what}",
    "empty": "not a report: the file is empty",
    "binary": "not a report: binary data",
    "no_structure": "not a report: neither XML, JSON nor a CSV with a header",
    "nessus_v1": "unknown format: Nessus v1 (.nbe/.nessus v1) is not supported; export as .nessus v2",
    "unknown_xml": "unknown format: XML root <{root}> is not a supported scanner report",
    "unknown_json": "unknown format: JSON that is not Nuclei output (no template-id)",
    "unknown_csv": "unknown format: the CSV header matches no supported export",
    "malformed_json": "malformed JSON on line {line}: {detail}",
    "malformed_json_head": "not a report: malformed JSON ({detail})",
    "json_not_array": "malformed JSON: expected an array",
    "json_truncated": "truncated JSON: the array is not closed",
    "json_truncated_record": "truncated or malformed JSON: {detail}",
    "record_too_long": "a single record is longer than the {limit} byte limit",
    "malformed_csv": "malformed CSV at line {line}: {detail}",
    "too_large": "file is larger than the {limit} byte limit",
    "too_many_findings": "more than {limit} findings",
    "too_many_hosts": "more than {limit} hosts",
    "host_unnamed": "a host has neither an address nor a name",
    "entities_declared": "refused: the DOCTYPE declares entities (entity expansion / external entity)",
    "doctype_unterminated": "refused: DOCTYPE too long or unterminated",
    "no_xml_root": "not a report: no XML root element in the first 64 KiB",
    "xml_truncated": "truncated XML{where}: {detail}",
    "xml_too_deep": "refused: XML nested too deeply or text node too large{where}: {detail}",
    "xml_entity": "refused: undeclared or external entity reference{where}: {detail}",
    "xml_malformed": "malformed XML{where}: {detail}",
    "cannot_open": "cannot open: {detail}",
    "cannot_read": "cannot read: {detail}",
    "not_binary": "expected a binary file object",
    "cpu_limit": "reading the report took more than the {limit} s CPU limit",
    "memory_limit": "reading the report needed more than the {limit} MB memory limit",
    "interrupted": "reading the report was interrupted; upload it again",
    "unreadable": "{problem}",
}


class ReportError(Exception):
    """A report that cannot be read: unknown format, truncated or hostile file, not a report.

    `problem` is one short sentence a reviewer can act on; `path` names the file; `code`
    and `params` say the same for translation (`code` "unreadable" carries `problem`).
    """

    def __init__(
        self,
        problem: str,
        path: str = "",
        *,
        code: str = "unreadable",
        params: Mapping[str, object] | None = None,
    ) -> None:
        problem = " ".join(problem.split())  # always one line: the CLI prints one line
        super().__init__(problem)
        self.problem = problem
        self.path = path
        self.code = code
        self.params: dict[str, object] = (
            dict(params)
            if params is not None
            else ({"problem": problem} if code == "unreadable" else {})
        )

    @classmethod
    def of(cls, code: str, path: str = "", **params: object) -> ReportError:
        """The refusal `code` (a key of MESSAGES) with its parameters."""
        problem = MESSAGES[code].format(**params)
        return cls(problem, path, code=code, params=params)

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem
