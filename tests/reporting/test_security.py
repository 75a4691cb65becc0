"""A reporter cannot see or change another agency's report: not through the screens, crafted POSTs, uploads, evidence
downloads or the admin."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.reporting.conftest import submission_of
from xanh.reporting import services
from xanh.reporting.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def mine_and_theirs(world, round_2025):
    return submission_of(round_2025, world.agencies["so-ct"]), submission_of(
        round_2025, world.agencies["so-nnmt"]
    )


def test_screens_of_another_agency_answer_404(world, round_2025, mine_and_theirs, client):
    _mine, theirs = mine_and_theirs
    client.force_login(world.reporter_ct)
    for url in (
        theirs.get_absolute_url(),
        reverse("reporting:review", args=[theirs.pk]),
        reverse("reporting:template", args=[theirs.pk]),
        reverse("reporting:history", args=[theirs.pk, "bao-cao", 0]),
        round_2025.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url
    html = client.get(reverse("reporting:rounds")).content.decode()
    assert "Sở Nông nghiệp và Môi trường" not in html


def test_reporter_cannot_review_even_own_report(world, mine_and_theirs, client):
    mine, _theirs = mine_and_theirs
    client.force_login(world.reporter_ct)
    assert client.get(reverse("reporting:review", args=[mine.pk])).status_code == 403
    assert client.post(reverse("reporting:review", args=[mine.pk]), {"action": "approve"}).status_code == 403


def test_crafted_posts_change_nothing(world, mine_and_theirs, client):
    mine, theirs = mine_and_theirs
    their_task = theirs.task_reports.get()
    client.force_login(world.reporter_ct)
    # straight at the other agency's report
    response = client.post(
        theirs.get_absolute_url(),
        {
            "version": 1,
            f"t-{their_task.pk}-status": "completed",
            f"t-{their_task.pk}-narrative": "giả mạo",
            "action": "save",
        },
    )
    assert response.status_code == 404
    # smuggled into my own report's form
    client.post(
        mine.get_absolute_url(),
        {
            "version": 1,
            f"t-{their_task.pk}-status": "completed",
            f"t-{their_task.pk}-narrative": "giả mạo",
            "action": "save",
        },
    )
    their_task.refresh_from_db()
    assert (their_task.status, their_task.narrative) == ("", "")
    # the review comments of my report cannot point at their items either
    ct = mine
    response = client.post(reverse("reporting:round_remind", args=[ct.round_id]), {"message": "x"})
    assert response.status_code == 404


def test_viewers_and_strangers_see_nothing(world, mine_and_theirs, client):
    mine, _ = mine_and_theirs
    assert client.get(mine.get_absolute_url()).status_code == 302  # to the login page
    client.force_login(UserFactory(role="viewer"))
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(reverse("reporting:round_create")).status_code == 403


def test_evidence_is_checked_and_private(world, mine_and_theirs, client):
    mine, theirs = mine_and_theirs
    task = mine.task_reports.get(task__code="2.b")
    client.force_login(world.reporter_ct)
    url = reverse("reporting:evidence_add", args=[mine.pk, task.pk])
    client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")})
    client.post(
        url, {"file": SimpleUploadedFile("hoa-don.pdf", b"MZ\x90\x00fake", content_type="application/pdf")}
    )
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.kind, evidence.size) == ("bien-ban.pdf", "pdf", len(PDF))
    response = client.get(reverse("reporting:evidence", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "bien-ban.pdf" in page
    # the other agency's reporter can neither download, delete nor attach through my task
    client.force_login(world.reporter_nnmt)
    assert client.get(reverse("reporting:evidence", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("reporting:evidence_delete", args=[evidence.pk])).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    their_task = theirs.task_reports.get()
    wrong = reverse("reporting:evidence_add", args=[theirs.pk, task.pk])  # my task under their report
    assert client.post(wrong, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    assert Evidence.objects.count() == 1 and not their_task.evidence.exists()
    # the owner removes it
    client.force_login(world.reporter_ct)
    client.post(reverse("reporting:evidence_delete", args=[evidence.pk]))
    assert not Evidence.objects.exists()


def test_evidence_size_limit(world, mine_and_theirs, settings):
    settings.XANH_EVIDENCE_MAX_BYTES = 20
    mine, _ = mine_and_theirs
    task = mine.task_reports.first()
    with pytest.raises(services.ValidationFailed, match="vượt giới hạn"):
        services.add_evidence(user=world.reporter_ct, task_report=task, filename="lon.pdf", content=PDF)


def test_admin_is_scoped_and_read_only(world, mine_and_theirs, client):
    mine, theirs = mine_and_theirs
    client.force_login(world.reporter_ct)
    listing = client.get("/quan-tri/reporting/submission/").content.decode()
    assert "Sở Công Thương" in listing and "Sở Nông nghiệp và Môi trường" not in listing
    other = client.get(f"/quan-tri/reporting/submission/{theirs.pk}/change/")
    assert other.status_code in (302, 403, 404)
    own = client.get(f"/quan-tri/reporting/submission/{mine.pk}/change/")
    assert own.status_code == 200 and 'name="_save"' not in own.content.decode()
    response = client.post(f"/quan-tri/reporting/submission/{mine.pk}/change/", {"status": "approved"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.status == "not_started"
    items = client.get("/quan-tri/reporting/taskreport/").content.decode()
    assert "1.b" not in items
    client.force_login(world.coordinator)
    listing = client.get("/quan-tri/reporting/submission/").content.decode()
    assert "Sở Công Thương" in listing and "Sở Nông nghiệp và Môi trường" in listing
