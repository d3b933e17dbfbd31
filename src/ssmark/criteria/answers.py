"""The answers file of `ssmark assess`:

    criteria: <set id>      # optional; default: the seed's ISP-version set
    review: new             # new | renewal
    answers:
      "1-1-1": met          # mandatory and fixed-point items: met | unmet
      "7-1-1": 3            # graded items: an integer in the item's range

`read_answers` checks the file completely (set, review type, every answer) so that a bad file
is reported as bad input before any verdict is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ssmark.criteria.engine import Answer, as_review_type, check_answers
from ssmark.criteria.errors import AnswerError, CriteriaError
from ssmark.criteria.loader import DEFAULT_SET_ID, UnknownSetError, get_set
from ssmark.criteria.model import CriteriaSet, ReviewType
from ssmark.criteria.yamlio import YamlError, read_yaml

ALLOWED_KEYS = ("criteria", "review", "answers")


@dataclass(frozen=True)
class AnswersFile:
    criteria: CriteriaSet
    review: ReviewType
    answers: Mapping[str, Answer]


def read_answers(path: str | Path, extra_dirs: Iterable[str | Path] = ()) -> AnswersFile:
    """Raises AnswerError with a one-line message (without the file name) on bad input."""
    try:
        data, _raw = read_yaml(Path(path))
    except YamlError as exc:
        raise AnswerError(str(exc)) from None
    return parse_answers(data, extra_dirs)


def parse_answers(data: object, extra_dirs: Iterable[str | Path] = ()) -> AnswersFile:
    if not isinstance(data, Mapping):
        raise AnswerError("expected a mapping with 'review' and 'answers'")
    unknown = [key for key in data if key not in ALLOWED_KEYS]
    if unknown:
        raise AnswerError(f"unknown key {unknown[0]!r} (allowed: {', '.join(ALLOWED_KEYS)})")
    set_id = data.get("criteria", DEFAULT_SET_ID)
    if not isinstance(set_id, str):
        raise AnswerError(f"'criteria' must be a set id, got {set_id!r}")
    try:
        criteria = get_set(set_id, extra_dirs)
    except UnknownSetError as exc:
        raise AnswerError(str(exc)) from None
    except CriteriaError as exc:
        raise AnswerError(f"criteria set cannot be loaded: {exc}") from None
    if "review" not in data:
        raise AnswerError("missing 'review' (new or renewal)")
    review = as_review_type(criteria, data["review"])
    answers = data.get("answers")
    if answers is None:  # `answers:` with nothing under it: everything unanswered
        answers = {}
    if not isinstance(answers, Mapping):
        raise AnswerError("'answers' must be a mapping from item code to answer")
    # YAML reads an unquoted code like 7 as an integer; compare codes as text.
    normalised: dict[str, Answer] = {str(code): value for code, value in answers.items()}
    check_answers(criteria, review, normalised)
    return AnswersFile(criteria, review, normalised)
