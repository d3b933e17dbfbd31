"""`{% load audit_tags %}{{ entry|audit_sentence }}`: an audit entry as a sentence for people."""

from __future__ import annotations

from typing import Any

from django import template

from ssmark.core.audit_actions import describe

register = template.Library()


@register.filter
def audit_sentence(entry: Any) -> str:
    return describe(entry)
