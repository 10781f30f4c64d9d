"""Signals the contests app sends; plans (above it) reacts in plans/receivers.py."""

from django.dispatch import Signal

# sender=Contest, contest=<Contest>: the results were published.
results_published = Signal()
