from django.apps import AppConfig
from django.db.models.signals import post_save


class LogbookConfig(AppConfig):
    name = "spil.logbook"
    label = "logbook"
    verbose_name = "Logboek dataverwerkingen"

    def ready(self):
        from django.contrib.admin.models import LogEntry

        post_save.connect(audit_configuration_change, sender=LogEntry, dispatch_uid="spil-audit-admin")


def audit_configuration_change(sender, instance, created, **kwargs):
    """A change made in the beheer (admin) screens is a configuration change for the security audit log.

    Bulk deletions in the admin write their entries with bulk_create, which sends no signal: not covered yet.
    """
    from spil.logbook.models import AuditEvent
    from spil.logbook.services import audit

    if created:
        audit(
            AuditEvent.CONFIGURATION,
            user=instance.user,
            detail=f"{instance.get_action_flag_display()} {instance.content_type.app_label}.{instance.content_type.model} #{instance.object_id}",
        )
