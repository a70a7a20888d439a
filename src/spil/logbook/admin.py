from django.contrib import admin

from spil.logbook.models import ProcessingActivity


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "retention_years"]
    search_fields = ["name", "code", "purpose", "legal_basis"]
