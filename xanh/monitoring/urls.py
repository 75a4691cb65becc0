from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<str:code>/", views.province, name="province"),
    path("tram/<str:code>/", views.station, name="station"),
    path("tram/<str:code>/danh-dau/", views.flag_period, name="flag"),
    path("danh-dau/<int:pk>/thu-hoi/", views.revoke_flag, name="revoke_flag"),
    path("nhat-ky/", views.ingestion_log, name="log"),
]
