from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "xanh.geo"
    label = "geo"
    verbose_name = "Đơn vị hành chính"
