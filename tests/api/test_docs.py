"""The OpenAPI document and the browsable docs: served by ssmark itself, no CDN, and the docs'
script is a file of our own origin (the Content-Security-Policy allows only those)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

# like every API answer, these count against the address's rate limit, kept in the database
pytestmark = pytest.mark.django_db


def test_openapi_document_is_json_and_describes_every_route():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/applications/{id}/scan-reports/" in document["paths"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    upload = document["paths"]["/api/v1/applications/{id}/scan-reports/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    for methods in document["paths"].values():
        for operation in methods.values():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"])


def test_docs_use_only_assets_served_here():
    client = Client()
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert not source.startswith(("http://", "https://", "//")), source
        assert client.get(source).status_code == 200, source
    assert "<script>" not in html  # no inline script: the CSP allows only our own files
    assert "script-src 'self'" in page["Content-Security-Policy"]
