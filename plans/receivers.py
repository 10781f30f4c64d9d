"""What plans do when something happens in a lower app.

The meetings app never imports plans (arrows point one way: members ←
meetings ← contests ← plans); it sends ``meetings.signals.minutes_approved``
and the plan reacts here. This is the one upward reaction of the meetings app.
"""

from django.dispatch import receiver
from django.utils import timezone

from contests.models import Contest
from contests.signals import results_published
from meetings.models import Meeting
from meetings.signals import minutes_approved

from .models import Item
from .services import mark_execution


@receiver(minutes_approved, sender=Meeting, dispatch_uid="plans.mark_meeting_items_done")
def mark_meeting_items_done(sender, *, meeting: Meeting, **kwargs) -> None:
    """Mark every plan item of the meeting done: «Протокол утверждён 18.01.2024»."""
    approved_on = timezone.localdate(meeting.minutes_approved_at)
    note = f"Протокол утверждён {approved_on:%d.%m.%Y}"
    for item in Item.objects.in_force().filter(meeting=meeting):
        mark_execution(item, by=None, execution=Item.Execution.DONE, note=note)


@receiver(results_published, sender=Contest, dispatch_uid="plans.mark_contest_items_done")
def mark_contest_items_done(sender, *, contest: Contest, **kwargs) -> None:
    """Mark every plan item of the contest done: «Итоги опубликованы 28.05.2024»."""
    published_on = timezone.localdate(contest.results_published_at)
    note = f"Итоги конкурса опубликованы {published_on:%d.%m.%Y}"
    for item in Item.objects.in_force().filter(contest=contest):
        mark_execution(item, by=None, execution=Item.Execution.DONE, note=note)
