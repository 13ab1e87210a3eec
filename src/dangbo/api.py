"""The JSON API (django-ninja), OpenAPI at /api/openapi.json, docs at /api/docs.

Same session login and the same scope selectors as the web pages. Errors are Vietnamese and name
the field: {"detail": "...", "errors": {"field": "message"}}.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from dangbo.apierrors import ERROR_STATUSES, ErrorOut
from dangbo.core.errors import InvalidInput
from dangbo.members.api import router as members_router
from dangbo.orgs.api import router as orgs_router


class DangboAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares, for every operation, the refusals every operation
    can give (401, 403, 404, 422) with their one error body, so clients and schemathesis know them."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ErrorOut.model_json_schema()
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for item in schema.get("paths", {}).values():
            for op in item.values():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                for status, text in ERROR_STATUSES.items():
                    op["responses"].setdefault(status, {"description": text, "content": ref})
        return schema


api = DangboAPI(
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
    "dict_type": "phải là một đối tượng JSON",
    "list_type": "phải là một danh sách",
    "bool_type": "phải là đúng hoặc sai (true/false)",
    "bool_parsing": "phải là đúng hoặc sai (true/false)",
    "int_from_float": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "greater_than_equal": "nhỏ hơn giá trị nhỏ nhất cho phép",
    "greater_than": "nhỏ hơn giá trị nhỏ nhất cho phép",
    "less_than_equal": "lớn hơn giá trị lớn nhất cho phép",
    "less_than": "lớn hơn giá trị lớn nhất cho phép",
    "too_long": "có quá nhiều mục",
    "too_short": "có quá ít mục",
    "extra_forbidden": "không có trường này",
    "date_past": "phải là ngày trong quá khứ",
    "date_future": "phải là ngày trong tương lai",
    "string_pattern_mismatch": "không đúng định dạng",
    "union_tag_invalid": "giá trị không hợp lệ",
    "none_required": "phải để trống",
}


@api.exception_handler(InvalidInput)
def _invalid(request, exc: InvalidInput):
    return api.create_response(request, {"detail": exc.message, "errors": exc.errors}, status=422)


@api.exception_handler(NinjaValidationError)
def _validation(request, exc: NinjaValidationError):
    errors = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        # a union reports once per alternative ("…str", "…int"): name the field, not the type
        while len(loc) > 1 and loc[-1] in ("str", "int", "bool", "float", "none", "date", "list", "dict"):
            loc.pop()
        field = ".".join(loc)[:100] or "body"
        errors.setdefault(field, f"Trường «{field}»: {_PYDANTIC_MESSAGES.get(err.get('type'), 'giá trị không hợp lệ')}.")
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


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """Ninja's own refusals, in Vietnamese; a body that cannot be read is bad input like any other (422)."""
    if exc.status_code == 400:
        return _unreadable(request, exc)
    text = {403: "Không có quyền.", 404: "Không tìm thấy."}.get(exc.status_code, "Yêu cầu không thực hiện được.")
    return api.create_response(request, {"detail": text}, status=exc.status_code)


@api.exception_handler(MultiPartParserError)
def _unreadable(request, exc):
    message = "Nội dung gửi lên không đọc được: hãy gửi một đối tượng JSON (Content-Type: application/json)."
    return api.create_response(request, {"detail": message, "errors": {"body": message}}, status=422)
