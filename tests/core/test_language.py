import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_even_for_english_browsers(client):
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_admin_is_vietnamese(admin_client):
    html = admin_client.get("/quan-tri/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Kế hoạch" in html and "Đơn vị hành chính" in html
    assert "Site administration" not in html


def test_language_cookie_switches_to_english(client):
    client.cookies["django_language"] = "en"
    assert client.get("/dang-nhap/")["Content-Language"] == "en"
