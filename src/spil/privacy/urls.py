from django.urls import path

from spil.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("verwerkingsregister/", views.register, name="register"),
    path("verwerkingsregister/export/<str:fmt>/", views.register_export, name="register-export"),
    path("inzage/", views.inzage_search, name="inzage"),
    path("inzage/<int:pk>/", views.inzage_person, name="inzage-person"),
    path("inzage/<int:pk>/export/<str:fmt>/", views.inzage_export, name="inzage-export"),
    path("bewaartermijnen/", views.retention, name="retention"),
    path("bewaartermijnen/bewaarplicht/", views.hold_create, name="hold-create"),
    path("bewaartermijnen/bewaarplicht/<int:pk>/opheffen/", views.hold_lift, name="hold-lift"),
    path("bewaartermijnen/verlengen/", views.extension_create, name="extension-create"),
    path("bewaartermijnen/<str:number>/vernietigen/", views.destroy, name="destroy"),
]
