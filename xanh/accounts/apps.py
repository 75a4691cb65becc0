from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xanh.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
