from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "xanh.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu thống kê"
