from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "xanh.plans"
    label = "plans"
    verbose_name = "Kế hoạch"
