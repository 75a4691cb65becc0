from django.urls import path

from xanh.geo import views

app_name = "geo"
urlpatterns = [path("", views.unit_list, name="list")]
