"""Placeholder; see below."""


def connect() -> None:
    return None
