"""Beheer of API clients: houses, activity and rate limit, and revoking credentials. New clients and tokens are made
with `manage.py create_api_client`, which shows a token once (the admin never shows or stores one)."""

from django import forms
from django.contrib import admin

from spil.api import services
from spil.api.models import ApiClient, Credential
from spil.core import clock
from spil.organisations.models import House


class CredentialInline(admin.TabularInline):
    model = Credential
    extra = 0
    can_delete = False
    fields = ["kind", "hint", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["kind", "hint", "created_at", "expires_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind="access")


class ApiClientForm(forms.ModelForm):
    houses = forms.ModelMultipleChoiceField(
        House.objects.all(),
        label="Zorg- en Veiligheidshuizen",
        widget=forms.CheckboxSelectMultiple,
        help_text="De huizen waarvoor de koppeling werkt: waar zij meldt, en van welke casussen zij de acties van haar organisatie ziet.",
    )

    class Meta:
        model = ApiClient
        fields = ["name", "active", "rate_limit_per_minute"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["houses"].initial = list(services.client_houses(self.instance))


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "client_id", "partner", "active", "rate_limit_per_minute", "last_used_at"]
    list_filter = ["active", "partner__type"]
    search_fields = ["name", "client_id", "partner__name"]
    readonly_fields = ["client_id", "partner", "user", "created_at", "last_used_at"]
    inlines = [CredentialInline]
    actions = ["revoke_all"]

    def has_add_permission(self, request):
        return False  # manage.py create_api_client: it shows the token once

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.set_houses(obj, form.cleaned_data["houses"])

    @admin.action(description="Alle sleutels en tokens intrekken")
    def revoke_all(self, request, queryset):
        Credential.objects.filter(client__in=queryset, revoked_at__isnull=True).update(revoked_at=clock.now())
