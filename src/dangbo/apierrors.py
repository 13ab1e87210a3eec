"""What every API operation answers when it refuses: one error body, declared in the OpenAPI document.

Kept apart from `dangbo.api` so the routers (orgs.api, members.api) can import it without a cycle.
"""

from ninja import Schema
from pydantic import ConfigDict

MAX_ID = 2**63 - 1  # ids are BigAutoField: a larger number is a 422, never an overflow in the database

#: status → Vietnamese description, for the OpenAPI document
ERROR_STATUSES = {
    401: "Chưa đăng nhập.",
    403: "Không có quyền với dữ liệu này.",
    404: "Không tìm thấy (hoặc ngoài phạm vi của người dùng).",
    422: "Dữ liệu gửi lên không hợp lệ: `detail` nói lý do, `errors` nêu từng trường.",
}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


def _drop_null_defaults(schema: dict) -> None:
    """A field that may be left out but not sent as null shows no `default: null` (it would read as
    "null allowed")."""
    for prop in schema.get("properties", {}).values():
        if prop.get("default", 0) is None and "anyOf" not in prop and prop.get("type") != "null":
            prop.pop("default")


class StrictSchema(Schema):
    """A request body: unknown fields refused, limits declared."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_null_defaults)
