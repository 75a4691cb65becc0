from django.urls import path

from xanh.ghg import views

app_name = "ghg"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("co-so/", views.facility_list, name="facilities"),
    path("co-so/<int:pk>/", views.facility_detail, name="facility"),
    path("kiem-ke/<int:pk>/", views.inventory_detail, name="inventory"),
    path("kiem-ke/<int:pk>/them/", views.activity_add, name="activity_add"),
    path("kiem-ke/<int:pk>/thao-tac/", views.inventory_action, name="action"),
    path("kiem-ke/<int:pk>/nhap-tep/", views.import_view, name="import"),
    path("mau-nhap-so-lieu.xlsx", views.import_template, name="template"),
    path("tong-hop/<int:unit_pk>/", views.publish, name="publish"),
]
