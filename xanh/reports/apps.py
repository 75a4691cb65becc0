from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xanh.reports"
    label = "reports"
    verbose_name = "Báo cáo tổng hợp"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from xanh.reports.models import ReportJob
        from xanh.reports.services import delete_job_file

        post_delete.connect(delete_job_file, sender=ReportJob, dispatch_uid="reports.delete_job_file")
