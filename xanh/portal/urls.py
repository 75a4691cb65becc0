from django.urls import path, re_path
from django.views.i18n import set_language

from xanh.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<int:pk>/", views.province, name="province"),
    path("ke-hoach/<int:pk>/", views.plan, name="plan"),
    path("so-sanh/", views.comparison, name="comparison"),
    path("du-lieu/", views.open_data, name="open_data"),
    path("du-lieu/catalog.jsonld", views.catalogue, name="catalogue"),
    re_path(
        r"^du-lieu/(?P<slug>quoc-gia|ke-hoach-\d+)\.(?P<fmt>sdmx\.csv|csv|xlsx|json)$",
        views.download,
        name="download",
    ),
    path("ngon-ngu/", set_language, name="set_language"),
]
