from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xanh.documents"
    label = "documents"
    verbose_name = "Văn bản"
