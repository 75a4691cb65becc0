from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "xanh.monitoring"
    label = "monitoring"
    verbose_name = "Quan trắc môi trường"
