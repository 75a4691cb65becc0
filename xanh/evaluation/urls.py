from django.urls import path

from xanh.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:plan_pk>/", views.plan_dashboard, name="plan"),
    path("ke-hoach/<int:plan_pk>/danh-gia-lai/", views.evaluate, name="evaluate"),
    path("ke-hoach/<int:plan_pk>/muc-tieu/<int:pk>/", views.target_page, name="target"),
    path("ke-hoach/<int:plan_pk>/muc-tieu/<int:pk>/dieu-chinh/", views.override, name="override"),
    path(
        "ke-hoach/<int:plan_pk>/muc-tieu/<int:pk>/dieu-chinh/<int:override_pk>/huy/",
        views.revoke,
        name="revoke",
    ),
    path("co-quan/<int:pk>/", views.agency_dashboard, name="agency"),
]
