from django.db import models


class Counter(models.Model):
    """The last number handed out per series (e.g. meldingen of 2026); see `numbering.next_number`."""

    series = models.CharField(max_length=40, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.series}: {self.value}"


class VersionedModel(models.Model):
    """A row that detects concurrent edits: every save through `versioning.save_versioned` bumps `version`."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
