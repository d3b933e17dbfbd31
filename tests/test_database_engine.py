"""CI runs the suite twice; this makes the PostgreSQL run fail if it silently used SQLite."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_expected_database() -> None:
    expected = os.environ.get("SSMARK_EXPECT_DB")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        expected = expected or "postgresql"
    assert connection.vendor == (expected or "sqlite")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
