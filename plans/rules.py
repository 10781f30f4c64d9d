"""Who may read, edit, sign and export plans."""

import rules

from members.rules import (
    is_approver,
    is_chair,
    is_curator,
    is_in_association,
    is_office_staff,
    is_secretary,
)


def association_of(obj):
    """Return the association of a plan, revision, section, item or stamp."""
    for path in ("association", "plan.association", "revision.plan.association",
                 "section.revision.plan.association"):  # fmt: skip
        target = obj
        try:
            for attr in path.split("."):
                target = getattr(target, attr)
        except AttributeError:
            continue
        return target
    return None


def on_association(predicate):
    @rules.predicate(name=f"{predicate.name}_on_plan")
    def check(user, obj=None) -> bool:
        return obj is not None and predicate.test(user, association_of(obj))

    return check


def revision_of(obj):
    """Return the revision of a revision, stamp, section or item."""
    if hasattr(obj, "section"):
        return obj.section.revision
    return getattr(obj, "revision", None) or obj


@rules.predicate
def is_published(user, revision) -> bool:
    return revision is not None and revision_of(revision).is_published


@rules.predicate
def is_draft(user, revision) -> bool:
    return revision is not None and revision_of(revision).is_editable


chair = on_association(is_chair)
insider = on_association(is_in_association)

rules.add_perm("plans.create_plan", is_chair)  # object: the association
rules.add_perm("plans.read_revision", is_published | is_office_staff | insider)
rules.add_perm("plans.edit_revision", chair & is_draft)
rules.add_perm("plans.send_revision", chair & is_draft)
rules.add_perm("plans.start_revision", chair)  # object: the plan
rules.add_perm("plans.agree_revision", on_association(is_curator))
rules.add_perm("plans.approve_revision", on_association(is_approver))
rules.add_perm("plans.record_paper_signature", is_office_staff | chair)
rules.add_perm("plans.mark_execution", chair | on_association(is_secretary))
rules.add_perm("plans.download_draft_pdf", is_office_staff | chair)
# Who signs the plan reads the draft they are asked to sign and what changed since a return.
signer = on_association(is_curator) | on_association(is_approver)
rules.add_perm("plans.read_draft_pdf", is_office_staff | chair | signer)
rules.add_perm("plans.see_changes_since_return", is_office_staff | chair | signer)
rules.add_perm("plans.upload_scan", is_office_staff)
# Who got which e-mail about the plan: its chair and the office.
rules.add_perm("plans.view_deliveries", is_office_staff | chair)
for model in ("plan", "revision", "stamp", "section", "item", "planpdf"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"plans.{action}_{model}", is_office_staff)
