from django.urls import path

from spil.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("tweestapsverificatie/", views.two_factor_verify, name="two-factor-verify"),
    path("tweestapsverificatie/instellen/", views.two_factor_setup, name="two-factor-setup"),
    path("tweestapsverificatie/opnieuw-koppelen/", views.two_factor_reset, name="two-factor-reset"),
    path("reservecodes/", views.backup_codes, name="backup-codes"),
    path("sessie/", views.session_status, name="session"),
    path("blokkades/", views.locked_accounts, name="locked"),
    path("blokkades/<int:pk>/vrijgeven/", views.unlock, name="unlock"),
]
