from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from xanh.accounts.models import User
from xanh.indicators.models import IndicatorValue
from xanh.plans.models import Plan, Task


@pytest.mark.django_db
def test_bootstrap_demo_is_idempotent():
    out = StringIO()
    call_command("bootstrap", "--demo", "--no-migrate", stdout=out)
    counts = (Plan.objects.count(), Task.objects.count(), IndicatorValue.objects.count(), User.objects.count())
    assert "dieuphoi" in out.getvalue() and "baocao" in out.getvalue()
    call_command("bootstrap", "--demo", "--no-migrate", stdout=StringIO())
    assert counts == (Plan.objects.count(), Task.objects.count(), IndicatorValue.objects.count(), User.objects.count())
    plan = Plan.objects.get(is_demo=True)
    assert plan.targets.count() == 10 and plan.tasks.count() >= 15
    assert set(plan.targets.values_list("pillar", flat=True)) >= {"emissions", "green_economy", "lifestyle"}
    assert IndicatorValue.objects.filter(is_demo=True, status="approved").count() > 40


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "XANH_ENV": "production",
        "SECRET_KEY": "k" * 64 + "-production-secret-with-enough-entropy",
        "ALLOWED_HOSTS": "xanh.example.gov.vn",
        "XANH_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "xanh.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
