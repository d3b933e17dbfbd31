"""The criteria catalog as data, and the rule engine. Pure Python: no Django import here.

from ssmark.criteria import get_set, assess
verdict = assess(get_set("isp-2010"), "new", {"1-1-1": "met", "7-1-1": 4})
verdict.passed, verdict.reasons("en"), verdict.to_dict()
"""

from ssmark.criteria.answers import AnswersFile, parse_answers, read_answers
from ssmark.criteria.engine import MET, UNMET, Answer, Verdict, assess, check_answers
from ssmark.criteria.errors import AnswerError, CriteriaError
from ssmark.criteria.loader import (
    BUILTIN_DIR,
    DEFAULT_SET_ID,
    DIRS_ENV_VAR,
    LoadedSet,
    UnknownSetError,
    default_set,
    discover,
    get_set,
    load_all_sets,
    load_builtin_sets,
    load_set,
    load_set_file,
    set_directories,
    set_in_force,
)
from ssmark.criteria.messages import Reason, render, review_label
from ssmark.criteria.model import (
    EVIDENCE_TEXT,
    GRADE_CEILING,
    GRADE_FLOOR,
    Audit,
    AuditGroup,
    Category,
    CriteriaSet,
    Cvss,
    Diagnosis,
    Entry,
    EvidenceKind,
    Group,
    Item,
    Kind,
    PassRule,
    ReviewType,
    Scheme,
    Scoring,
    Text,
)
from ssmark.criteria.report import render_report
from ssmark.criteria.schema import parse_set
from ssmark.criteria.serialize import set_to_dict

__all__ = [
    "BUILTIN_DIR",
    "DEFAULT_SET_ID",
    "DIRS_ENV_VAR",
    "EVIDENCE_TEXT",
    "GRADE_CEILING",
    "GRADE_FLOOR",
    "MET",
    "UNMET",
    "Answer",
    "AnswerError",
    "AnswersFile",
    "Audit",
    "AuditGroup",
    "Category",
    "CriteriaError",
    "CriteriaSet",
    "Cvss",
    "Diagnosis",
    "Entry",
    "EvidenceKind",
    "Group",
    "Item",
    "Kind",
    "LoadedSet",
    "PassRule",
    "Reason",
    "ReviewType",
    "Scheme",
    "Scoring",
    "Text",
    "UnknownSetError",
    "Verdict",
    "assess",
    "check_answers",
    "default_set",
    "discover",
    "get_set",
    "load_all_sets",
    "load_builtin_sets",
    "load_set",
    "load_set_file",
    "parse_answers",
    "parse_set",
    "read_answers",
    "render",
    "render_report",
    "review_label",
    "set_directories",
    "set_in_force",
    "set_to_dict",
]
