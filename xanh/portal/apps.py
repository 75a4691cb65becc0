from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xanh.portal"
    label = "portal"
    verbose_name = "Cổng công khai"
