app_name = "topx"
urlpatterns = []
