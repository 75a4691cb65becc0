from django.urls import path

from xanh.documents import import_views

app_name = "documents"
urlpatterns = [
    path("nhap/", import_views.upload, name="import_upload"),
    path("nhap/<int:pk>/", import_views.review, name="import_review"),
]
