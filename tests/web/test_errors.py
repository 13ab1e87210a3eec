"""Error pages through HTTP with DEBUG off: Vietnamese, in the site's style, no English, no stack trace;
the 500 page without the database; a 403 logged as one line, a 500 with its traceback."""

import logging
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path

from dangbo import urls as site_urls

ENGLISH = ("Not Found", "Forbidden", "Server Error", "Bad Request", "CSRF", "Traceback", "Resolver404",
           "matches the given query", "exception", "Error")


def boom(request):
    raise RuntimeError("hỏng ở đâu đó")


def english_404(request):
    raise Http404("No Member matches the given query.")


def plain_403(request):
    raise PermissionDenied


urlpatterns = [
    path("thu/loi-500/", boom),
    path("thu/loi-404/", english_404),
    path("thu/loi-403/", plain_403),
    path("", include("dangbo.urls")),
]
# the site's error handlers, as dangbo/urls.py wires them (Django's defaults where it does not)
for _code in (400, 403, 404, 500):
    if hasattr(site_urls, f"handler{_code}"):
        globals()[f"handler{_code}"] = getattr(site_urls, f"handler{_code}")


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def log():
    """What the platform's console handler writes (settings.LOGGING)."""
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert handlers, "the console handler (settings.LOGGING) is missing"
    handler, stream = handlers[0], StringIO()
    # swapped by hand: setStream() would flush the old stream, which pytest may have closed already
    old, handler.stream = handler.stream, stream
    yield stream
    handler.stream = old


def _page(response) -> str:
    body = response.content.decode()
    assert '<html lang="vi">' in body and "dangbo/site.css" in body  # the site's own page and style
    for word in ENGLISH:
        assert word not in body, f"{word!r} on the {response.status_code} page"
    return body


def test_404_unknown_address(db, log):
    r = Client().get("/khong-co-trang-nay/")
    assert r.status_code == 404
    assert "Không tìm thấy" in _page(r)


def test_404_shows_our_message_never_djangos(world, log):
    c = Client()
    c.force_login(world.office)
    r = c.get("/dang-vien/987654/")
    assert r.status_code == 404 and "Không tìm thấy đảng viên." in _page(r)
    r = c.get("/thu/loi-404/")
    assert r.status_code == 404 and "Trang hoặc hồ sơ này không tồn tại" in _page(r)


def test_403_is_vietnamese_and_logged_as_one_line(world, log):
    c = Client()
    c.force_login(world.secretary)
    r = c.get("/nhat-ky/")
    assert r.status_code == 403
    assert "Chỉ cán bộ Văn phòng Đảng ủy được xem trang này." in _page(r)
    r = c.get("/thu/loi-403/")
    assert r.status_code == 403 and "không được mở trang này" in _page(r)
    lines = log.getvalue().splitlines()
    assert len(lines) == 2 and all("Forbidden" in line for line in lines)
    assert "Traceback" not in log.getvalue()


def test_500_without_the_database_keeps_its_traceback_in_the_log(log):
    """No `db` fixture: any database access during the request would fail the test."""
    r = Client(raise_request_exception=False).get("/thu/loi-500/")
    assert r.status_code == 500
    body = _page(r)
    assert "Lỗi hệ thống" in body and "hỏng ở đâu đó" not in body and "RuntimeError" not in body
    assert "Traceback" in log.getvalue() and "RuntimeError: hỏng ở đâu đó" in log.getvalue()


def test_400_bad_host_is_vietnamese_and_one_line(log):
    r = Client(HTTP_HOST="ke-gia-mao.example").get("/dang-nhap/")
    assert r.status_code == 400 and "Yêu cầu không hợp lệ" in _page(r)
    assert "Traceback" not in log.getvalue() and len(log.getvalue().splitlines()) == 1


def test_csrf_failure_page(db, log):
    r = Client(enforce_csrf_checks=True).post("/dang-nhap/", {"username": "office", "password": "x"})
    assert r.status_code == 403
    body = _page(r)
    assert "Biểu mẫu đã hết hạn" in body and "tải lại trang" in body
    assert "Traceback" not in log.getvalue()


def test_only_vietnamese_messages_are_shown():
    from dangbo.web.errors import _our_message

    assert _our_message(Http404("Không tìm thấy đảng viên.")) == "Không tìm thấy đảng viên."
    assert _our_message(Http404("No Member matches the given query.")) == ""
    assert _our_message(Http404({"path": "x", "tried": []})) == ""
    assert _our_message(PermissionDenied()) == ""
    assert _our_message(Http404("“/x” does not exist")) == ""  # curly quotes are not letters
