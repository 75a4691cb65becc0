from django.urls import path

from xanh.agencies import views

app_name = "agencies"
urlpatterns = [path("", views.agency_list, name="list")]
