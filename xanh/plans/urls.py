from django.urls import path

from xanh.plans import views

app_name = "plans"
urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:plan_pk>/muc-tieu/<int:pk>/", views.target_detail, name="target"),
    path("<int:plan_pk>/nhiem-vu/<int:pk>/", views.task_detail, name="task"),
]
