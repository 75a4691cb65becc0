from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xanh.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from xanh.api import schema  # noqa: F401  (registers the OpenAPI extensions for the auth classes)
