from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "xanh.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá"
