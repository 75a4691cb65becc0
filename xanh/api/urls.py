"""/api/v1/: resources, the OpenAPI schema (openapi.json) and the interactive docs (docs/, redoc/) served offline."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from xanh.api import submissions, views, views_more

app_name = "api"

router = SimpleRouter(trailing_slash=False)
router.register("admin-units", views.AdminUnitViewSet, basename="admin-unit")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("sections", views.SectionViewSet, basename="section")
router.register("targets", views.TargetViewSet, basename="target")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-values", views.IndicatorValueViewSet, basename="indicator-value")
router.register("task-reports", views_more.TaskReportViewSet, basename="task-report")
router.register("submissions", submissions.SubmissionViewSet, basename="submission")
router.register("assessments", views_more.AssessmentViewSet, basename="assessment")

urlpatterns = [
    path("health", views.HealthView.as_view(), name="health"),
    path("me", views.MeView.as_view(), name="me"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
]
