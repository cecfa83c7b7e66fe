"""Deciding what deserves a notification (pure), and remembering what was said."""

from traywatch.notify.memory import InMemoryPolicyMemory, PolicyMemory
from traywatch.notify.policy import Notification, NotificationPolicy

__all__ = ["InMemoryPolicyMemory", "Notification", "NotificationPolicy", "PolicyMemory"]
