"""The demo province has a finished and an open reporting round, so the first command shows a living system.

One test on purpose: loading the demo province takes seconds, and every check here reads the same data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xanh.accounts.models import User
from xanh.core.demo import load_demo
from xanh.indicators.models import IndicatorValue
from xanh.reporting.models import ReportingRound, RoundStatus, SubmissionStatus

pytestmark = pytest.mark.django_db


def test_demo_rounds_pages_and_idempotence(demo, client):
    rounds = {r.period: r for r in ReportingRound.objects.filter(plan=demo["plan"])}
    assert set(rounds) == {"2024", "2025"}
    finished, current = rounds["2024"], rounds["2025"]
    assert finished.status == RoundStatus.CLOSED and finished.is_demo
    assert set(finished.submissions.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}
    assert current.is_open
    states = dict(current.submissions.values_list("agency__key", "status"))
    assert states["so-nnmt"] == SubmissionStatus.DRAFT  # the demo reporter "baocao" has a draft to continue
    assert states["so-ct"] == SubmissionStatus.SUBMITTED  # "baocao2" waits for review
    assert states["so-tc"] == SubmissionStatus.APPROVED
    assert states["so-xd"] == SubmissionStatus.RETURNED
    assert SubmissionStatus.NOT_STARTED in states.values()
    late = current.submissions.get(agency__key="bql-kcn")
    assert late.is_late and late.status == SubmissionStatus.SUBMITTED
    # approved figures are official and labelled as demonstration data
    official = IndicatorValue.objects.get(indicator__code="LV-08", period="2024")
    assert official.status == "approved" and official.is_demo

    client.force_login(User.objects.get(username="dieuphoi"))
    html = client.get(current.get_absolute_url()).content.decode()
    assert "Ban Quản lý các khu công nghiệp" in html and "nộp muộn" in html
    for submission in current.submissions.all():
        assert client.get(reverse("reporting:review", args=[submission.pk])).status_code == 200
    client.force_login(User.objects.get(username="baocao"))
    mine = current.submissions.get(agency__key="so-nnmt")
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Nộp báo cáo" in page and "LV-06" in page and "thành thị" in page

    before = (ReportingRound.objects.count(), IndicatorValue.objects.count())
    load_demo()
    assert (ReportingRound.objects.count(), IndicatorValue.objects.count()) == before
