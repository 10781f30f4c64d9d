"""Contest pages: thin views over contests.services; permissions from contests/rules.py.

One module per area; contests/urls.py reaches every view through this package.
"""

from .applications import (
    application_decide,
    application_detail,
    application_file,
    application_list,
    apply,
)
from .catalogue import contest_create, contest_detail, contest_list, external_add, external_list
from .deliveries import deliveries
from .diplomas import diplomas_request, diplomas_status, diplomas_zip
from .jury import juror_remove, jury, scoring, scoring_submit
from .regulations import (
    block_add,
    block_delete,
    block_edit,
    regulation_close,
    regulation_compare,
    regulation_decision,
    regulation_detail,
    regulation_edit,
    regulation_new_version,
    regulation_send,
    regulation_vote,
)
from .results import contest_results, results_approve, results_publish

__all__ = [
    "application_decide",
    "application_detail",
    "application_file",
    "application_list",
    "apply",
    "block_add",
    "block_delete",
    "block_edit",
    "contest_create",
    "contest_detail",
    "contest_list",
    "contest_results",
    "deliveries",
    "diplomas_request",
    "diplomas_status",
    "diplomas_zip",
    "external_add",
    "external_list",
    "jury",
    "juror_remove",
    "regulation_close",
    "regulation_compare",
    "regulation_decision",
    "regulation_detail",
    "regulation_edit",
    "regulation_new_version",
    "regulation_send",
    "regulation_vote",
    "results_approve",
    "results_publish",
    "scoring",
    "scoring_submit",
]
