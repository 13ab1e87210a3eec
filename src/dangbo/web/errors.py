"""Error pages in Vietnamese (400, 403, 404, 500, CSRF failure), wired in dangbo/urls.py and
settings.CSRF_FAILURE_VIEW. They show no exception text unless it is one of our Vietnamese
messages (Django's own are English: "No Member matches the given query.", "Resolver404"), no stack
trace, and the 500 page renders without the database or the request's context.
"""

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

#: the 500 page if even its template fails (missing file, broken install)
PLAIN_500 = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi hệ thống — Đảng bộ</title></head>'
    "<body><h1>Lỗi hệ thống</h1><p>Hệ thống gặp sự cố ngoài ý muốn. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, "
    "hãy báo Văn phòng Đảng ủy.</p></body></html>"
)


def _our_message(exception) -> str:
    """The exception's message when it is a Vietnamese sentence of ours, else "".

    Every message the platform raises is Vietnamese and so carries letters outside ASCII
    ("Không tìm thấy đảng viên."); Django's internal messages are English ASCII or not text at all.
    """
    args = getattr(exception, "args", ())
    message = args[0] if args else ""
    if isinstance(message, str) and any(ch.isalpha() and not ch.isascii() for ch in message):
        return message
    return ""


def _page(request, template: str, status: int, exception=None) -> HttpResponse:
    body = loader.render_to_string(template, {"message": _our_message(exception)}, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    # no request context: a 400 is often a bad Host header, which the context would raise again
    return HttpResponse(loader.render_to_string("400.html"), status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, "403.html", 403, exception)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, "404.html", 404, exception)


def server_error(request=None):
    """No request context and no database: the error may be the database itself."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html"))
    except Exception:  # the error page must not fail in turn
        return HttpResponseServerError(PLAIN_500)


def csrf_failure(request, reason=""):
    """The form's security token was missing or stale (settings.CSRF_FAILURE_VIEW)."""
    return HttpResponse(loader.render_to_string("403_csrf.html", {}, request), status=403)
