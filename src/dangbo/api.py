"""The JSON API (django-ninja), OpenAPI at /api/openapi.json, docs at /api/docs.

Same session login and the same scope selectors as the web pages. Errors are Vietnamese and name
the field: {"detail": "...", "errors": {"field": "message"}}.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from dangbo.core.errors import InvalidInput
from dangbo.members.api import router as members_router
from dangbo.orgs.api import router as orgs_router

api = NinjaAPI(
    title="dangbo API",
    version="1",
    description="Tổ chức đảng, đảng viên, sự kiện, tìm kiếm — cùng quyền hạn như giao diện web.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)

_PYDANTIC_MESSAGES = {
    "missing": "thiếu giá trị bắt buộc",
    "date_from_datetime_parsing": "không phải ngày hợp lệ (yyyy-mm-dd)",
    "date_parsing": "không phải ngày hợp lệ (yyyy-mm-dd)",
    "date_type": "không phải ngày hợp lệ (yyyy-mm-dd)",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "string_type": "phải là chuỗi ký tự",
    "string_too_long": "quá dài",
    "string_too_short": "quá ngắn",
    "literal_error": "giá trị không nằm trong danh sách cho phép",
    "enum": "giá trị không nằm trong danh sách cho phép",
    "json_invalid": "nội dung JSON không hợp lệ",
    "model_attributes_type": "nội dung phải là một đối tượng JSON",
}


@api.exception_handler(InvalidInput)
def _invalid(request, exc: InvalidInput):
    return api.create_response(request, {"detail": exc.message, "errors": exc.errors}, status=422)


@api.exception_handler(NinjaValidationError)
def _validation(request, exc: NinjaValidationError):
    errors = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or "body"
        errors[field] = f"Trường «{field}»: {_PYDANTIC_MESSAGES.get(err.get('type'), 'giá trị không hợp lệ')}."
    detail = " ".join(errors.values()) or "Dữ liệu gửi lên không hợp lệ."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)


@api.exception_handler(AuthenticationError)
def _unauth(request, exc):
    return api.create_response(request, {"detail": "Cần đăng nhập."}, status=401)
