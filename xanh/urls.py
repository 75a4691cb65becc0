from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from xanh.plans import views as plan_views

admin.site.site_header = "Quản trị Xanh"
admin.site.site_title = "Quản trị Xanh"
admin.site.index_title = "Dữ liệu hệ thống"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("ke-hoach/", include("xanh.plans.urls")),
    path("don-vi/", include("xanh.geo.urls")),
    path("co-quan/", include("xanh.agencies.urls")),
    path("van-ban/", include("xanh.documents.urls")),
    path("chi-tieu/", include("xanh.indicators.urls")),
    path("bao-cao/", include("xanh.reporting.urls")),
    path("danh-gia/", include("xanh.evaluation.urls")),
    path("tong-hop/", include("xanh.reports.urls")),
    path("quan-trac/", include("xanh.monitoring.urls")),
    path("khi-nha-kinh/", include("xanh.ghg.urls")),
    path("api/v1/monitoring/", include("xanh.monitoring.api_urls")),
    path("api/v1/", include("xanh.api.urls")),
    path("cong-khai/", include("xanh.portal.urls")),
    path("tai-khoan/", include("xanh.accounts.urls")),
]
