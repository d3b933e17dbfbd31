"""OpenAPI post-processing: every operation documents the API's error answers (one shape,
`Error`), so a client — and schemathesis — knows every status it can get."""

from __future__ import annotations

from typing import Any

ERROR_STATUSES = {
    "400": "Invalid input; `field` names it.",
    "401": "No token, or an unknown, expired or revoked one.",
    "403": "Seen but not allowed (role, or a read-only token writing).",
    "404": "Not found, or not visible to this person.",
    "405": "Method not allowed.",
    "406": "Only JSON is returned.",
    "409": "Refused by the rules in the object's current state.",
    "415": "Request body type not accepted.",
    "429": "Rate limit of this token; see Retry-After.",
}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    ref = {"$ref": "#/components/schemas/Error"}
    if "Error" not in result.get("components", {}).get("schemas", {}):
        return result
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for code, text in ERROR_STATUSES.items():
                entry = responses.setdefault(code, {"description": text})
                entry.setdefault("content", {"application/json": {"schema": ref}})
                if code == "429":
                    entry.setdefault(
                        "headers",
                        {"Retry-After": {"schema": {"type": "integer"}, "required": True}},
                    )
    return result


HOOKS = ["drf_spectacular.hooks.postprocess_schema_enums", "ssmark.api.schema.document_errors"]

ENUM_NAMES = {
    "ApplicationStatusEnum": "ssmark.applications.models.ApplicationStatus",
    "LicenceStatusEnum": "ssmark.licences.models.LicenceStatus",
    "ScanStateEnum": "ssmark.applications.models.ScanState",
    "GateStateEnum": "ssmark.applications.assessment.GATE_LABELS",
}

#: drf-spectacular settings of the OpenAPI view (on top of SPECTACULAR_SETTINGS)
SCHEMA_SETTINGS = {"POSTPROCESSING_HOOKS": HOOKS, "ENUM_NAME_OVERRIDES": ENUM_NAMES}
