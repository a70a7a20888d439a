"""Beheer van casustypen, fasen en leefgebieden.

The source of truth is `fixtures/case_types.toml`: `manage.py load_case_types` overwrites names, phases and
settings by code. The admin is for looking things up and for urgent corrections, and guards the invariants
the rest of Spil relies on: every case type has at least one phase (a case opens in the first one), codes
do not change once created (the loader and the services find types by code), and a label is put on a
product, not on another label.
"""

from django import forms
from django.contrib import admin
from django.db.models import Max

from spil.casetypes.models import CaseType, LifeDomain, Phase

SOURCE_NOTE = (
    "De bron van deze gegevens is fixtures/case_types.toml: wijzigingen hier worden overschreven bij "
    "'manage.py load_case_types'. Neem een blijvende wijziging ook daar op."
)


class PhaseInlineFormSet(forms.BaseInlineFormSet):
    """At least one phase, and phases may be renumbered or swapped.

    Order and code are unique per case type and PostgreSQL checks that row by row, so rows that move are
    parked on free values first; the admin saves the whole change view in one transaction.
    """

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form not in self.deleted_forms and (form.instance.pk or form.has_changed())]
        if not kept:
            raise forms.ValidationError("Een casustype heeft minstens één fase nodig.", code="too_few_forms")

    def save(self, commit=True):
        if commit:
            self._park_moving_phases()
        return super().save(commit)

    def _park_moving_phases(self):
        moving = [
            form.instance.pk for form in self.initial_forms if form in self.deleted_forms or {"order", "code"} & set(form.changed_data)
        ]
        if not moving:
            return
        top = Phase.objects.filter(case_type=self.instance).aggregate(top=Max("order"))["top"] or 0
        for offset, pk in enumerate(moving, start=1):
            Phase.objects.filter(pk=pk).update(order=top + offset, code=f"~{pk}")


class PhaseInline(admin.TabularInline):
    model = Phase
    formset = PhaseInlineFormSet
    fields = ["order", "code", "name", "lead_time_days"]
    extra = 0
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        # InlineModelAdmin passes min_num but not validate_min to the formset factory.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class CaseTypeAdminForm(forms.ModelForm):
    class Meta:
        model = CaseType
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        label_for = cleaned.get("label_for")
        if label_for is not None:
            if self.instance.pk and label_for.pk == self.instance.pk:
                self.add_error("label_for", "Een casustype kan geen label bij zichzelf zijn.")
            elif label_for.label_for_id is not None:
                self.add_error("label_for", f"'{label_for}' is zelf een label; kies een casustype.")
            elif self.instance.pk and self.instance.labels.exists():
                self.add_error("label_for", "Dit casustype heeft zelf labels en kan daarom geen label zijn.")
        return cleaned


@admin.register(CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    form = CaseTypeAdminForm
    inlines = [PhaseInline]
    list_display = ["name", "code", "restricted", "lead_time_days", "active"]
    list_filter = ["restricted", "active"]
    search_fields = ["name", "code", "description"]
    filter_horizontal = ["life_domains"]
    fieldsets = [
        (
            None,
            {
                "description": SOURCE_NOTE,
                "fields": ["code", "name", "description", "label_for", "lead_time_days", "life_domains", "processing_activity"],
            },
        ),
        ("Zichtbaarheid", {"fields": ["restricted", "separate_dossiers", "active"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "label_for":
            kwargs["queryset"] = CaseType.objects.filter(label_for__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]
    fields = ["code", "name", "order"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []
