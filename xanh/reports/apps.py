from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xanh.reports"
    label = "reports"
    verbose_name = "Báo cáo tổng hợp"
