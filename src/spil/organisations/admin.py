from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from spil.organisations.models import House, Membership, Municipality, Partner


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0


@admin.register(House)
class HouseAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    inlines = [MunicipalityInline]


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
