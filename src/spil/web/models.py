from django.conf import settings
from django.db import models

from spil.core import clock


class Notification(models.Model):
    """A message for one user, shown in Mijn werk until read (e.g. an emergency access on their case).

    `key` names what the message is about (e.g. "signaal:12") when it must be made at most once per user: a retried
    background job then cannot make it twice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""), name="one_notification_per_key"),
        ]
