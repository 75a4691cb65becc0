from django.urls import path

from xanh.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("ky/moi/", views.round_create, name="round_create"),
    path("ky/<int:pk>/", views.tracker, name="tracker"),
    path("ky/<int:pk>/nhac-nho/", views.round_remind, name="round_remind"),
    path("ky/<int:pk>/dong/", views.round_close, name="round_close"),
    path("ky/<int:pk>/mau-excel.zip", views.round_templates, name="round_templates"),
    path("ky/<int:pk>/lich-su/", views.round_history, name="round_history"),
    path("nop/<int:pk>/", views.submission_detail, name="submission"),
    path("nop/<int:pk>/xem-xet/", views.submission_review, name="review"),
    path("nop/<int:pk>/mau-excel/", views.submission_template, name="template"),
    path("nop/<int:pk>/tai-len/", views.submission_upload, name="upload_create"),
    path("nop/<int:pk>/nhiem-vu/<int:item>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("nop/<int:pk>/lich-su/<str:kind>/<int:item>/", views.item_history, name="history"),
    path("tai-len/<int:pk>/", views.upload_detail, name="upload"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_delete, name="evidence_delete"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/<int:pk>/", views.notification_open, name="notification"),
]
