from django.urls import path

from xanh.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("mat-khau/", views.PasswordChange.as_view(), name="password_change"),
    path("khoa-api/tao/", views.token_create, name="token_create"),
    path("khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
