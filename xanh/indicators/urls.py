from django.urls import path

from xanh.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("gia-tri/<int:pk>/", views.value_detail, name="value"),
]
