from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from spil.organisations.models import House, IntakeRegion, Membership, Municipality, Partner, RoutingRule


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0


@admin.register(House)
class HouseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "intake_region"]
    list_filter = ["intake_region"]
    inlines = [MunicipalityInline]


@admin.register(IntakeRegion)
class IntakeRegionAdmin(admin.ModelAdmin):
    """A central intake (loket); which houses it serves is set on each house (its intake region)."""

    list_display = ["name", "code", "served_houses"]

    @admin.display(description="huizen")
    def served_houses(self, region):
        return ", ".join(house.name for house in region.houses.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("houses")


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["municipality", "case_type", "house", "unless_criminal_law", "note"]

    def clean(self):
        data = super().clean()
        municipality, house = data.get("municipality"), data.get("house")
        if municipality is not None and house is not None and municipality.house_id == house.pk:
            raise forms.ValidationError(f"{municipality} hoort al bij {house}; zonder regel gaat de melding daar ook heen.")
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Routing rules are data (`fixtures/routing.toml`, `manage.py load_routing_rules`); the loader overwrites the
    rules of every gemeente in that file, so a lasting change belongs there too."""

    form = RoutingRuleForm
    list_display = ["municipality", "case_type", "house", "unless_criminal_law"]
    list_filter = ["house", "municipality", "unless_criminal_law"]
    list_select_related = ["municipality", "case_type", "house"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "population", "house"]
    list_filter = ["house"]
    search_fields = ["name", "cbs_code"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "type"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "house", "role", "partner"]
    list_filter = ["house", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SpilUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
