from django.contrib import admin

from spil.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only metadata for support; the rows of a file (personal data) are shown only on the batch page."""

    list_display = ["number", "house", "kind", "status", "row_count", "rows_imported", "uploaded_at", "finished_at"]
    list_filter = ["status", "kind", "house"]
    search_fields = ["number"]
    fields = [
        "number",
        "house",
        "kind",
        "status",
        "original_name",
        "file_format",
        "size",
        "sha256",
        "row_count",
        "rows_imported",
        "uploaded_by",
        "uploaded_at",
        "confirmed_by",
        "confirmed_at",
        "started_at",
        "finished_at",
        "cleared_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
