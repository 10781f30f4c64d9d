"""Signals of the meetings app: the one way higher apps learn what happened here.

The meetings app never imports plans (or contests): a plan item that points
at a meeting is marked done by plans/receivers.py when this fires.
"""

from django.dispatch import Signal

# Sent inside the approving transaction, with ``meeting``: its minutes were approved.
minutes_approved = Signal()
