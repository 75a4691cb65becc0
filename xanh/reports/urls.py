from django.urls import path

from xanh.reports import views

app_name = "reports"
urlpatterns = [
    path("ke-hoach/<int:plan_pk>/tao/", views.request_report, name="request"),
    path("yeu-cau/<int:pk>/", views.job_detail, name="job"),
    path("yeu-cau/<int:pk>/tai-ve/", views.download, name="download"),
]
