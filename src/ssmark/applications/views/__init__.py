"""The applicant's pages. Every view that takes an id authorises per object: a user who may
not see the application gets 404; one who may see but not act as the applicant gets 403.

The pages live in modules by page group; urls.py refers to them through this package:

- `common`: fetching an application (404 / 403) and the post helpers
- `lists`: the list of applications and starting one
- `detail`: the self-assessment page, the readiness panel, answering an item
- `evidence`: adding and removing evidence, downloading stored files
- `scans`: item 2-1-1 (scan reports, host roles, statements)
- `audits`: item 1-1-2 audits and the incident declaration
- `submission`: contacts, submit and withdraw
"""

from __future__ import annotations

from ..models import Claim
from .audits import _audit_choices as _audit_choices
from .audits import audit_remove, audits_page, incident_remove, incidents_page, no_incidents
from .common import _application_qs as _application_qs
from .common import _detail_url as _detail_url
from .common import _done as _done
from .common import _is_htmx as _is_htmx
from .common import _is_xhr as _is_xhr
from .common import _refused as _refused
from .common import get_own_application, get_visible_application
from .detail import _common as _common
from .detail import _item_context as _item_context
from .detail import _item_response as _item_response
from .detail import _page_data as _page_data
from .detail import _return_comments as _return_comments
from .detail import application_detail, item_fragment, readiness_panel, save_answer
from .evidence import (
    FILE_MODELS,
    add_evidence,
    download_file,
    download_name,
    file_url,
    remove_evidence,
)
from .lists import application_create, application_list
from .scans import finding_statement, host_roles, scan_page, scan_progress, scan_remove
from .submission import contacts_page, submit_page, withdraw_page

__all__ = [
    "FILE_MODELS",
    "Claim",
    "add_evidence",
    "application_create",
    "application_detail",
    "application_list",
    "audit_remove",
    "audits_page",
    "contacts_page",
    "download_file",
    "download_name",
    "file_url",
    "finding_statement",
    "get_own_application",
    "get_visible_application",
    "host_roles",
    "incident_remove",
    "incidents_page",
    "item_fragment",
    "no_incidents",
    "readiness_panel",
    "remove_evidence",
    "save_answer",
    "scan_page",
    "scan_progress",
    "scan_remove",
    "submit_page",
    "withdraw_page",
]
