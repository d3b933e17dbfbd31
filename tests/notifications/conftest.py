"""The notifications tests use the fees tests' fixtures (one definition: tests/fees/conftest.py)."""

from __future__ import annotations

from tests.fees.conftest import TODAY, schedule_file, today

__all__ = ["TODAY", "schedule_file", "today"]
