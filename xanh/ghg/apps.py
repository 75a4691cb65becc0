from django.apps import AppConfig


class GhgConfig(AppConfig):
    name = "xanh.ghg"
    label = "ghg"
    verbose_name = "Khí nhà kính"
