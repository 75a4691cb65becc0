from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "xanh.agencies"
    label = "agencies"
    verbose_name = "Cơ quan"
