from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xanh.core"
    label = "core"
    verbose_name = "Hệ thống"
