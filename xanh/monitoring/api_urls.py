"""/api/v1/monitoring/ (included from xanh/urls.py)."""

from django.urls import path

from . import api

app_name = "monitoring-api"
urlpatterns = [
    path("files", api.FileUploadView.as_view(), name="files"),
    path("stations", api.StationListView.as_view(), name="stations"),
    path("stations/<str:code>/aqi", api.StationAqiView.as_view(), name="station-aqi"),
]
