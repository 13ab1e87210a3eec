"""The demo's documents register: the twelve months up to `today` of the committee's incoming documents
(from the Central Committee, its boards and the provincial committee) and outgoing ones (the
committee's and each grassroots committee's own series), written by `services.documents_load` in one
bulk insert. Deterministic from `rng`; idempotent (a committee whose register already holds documents
it registered or issued is left as it is)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangbo.documents.models import Document
from dangbo.documents.rules import default_issuer
from dangbo.documents.services import documents_load
from dangbo.orgs.models import Organization

INCOMING = (  # (type, issuer, sender, subjects)
    ("NQ", "TW", "Ban Chấp hành Trung ương", ("Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng "
                                              "tạo và chuyển đổi số", "Nghị quyết về công tác cán bộ")),
    ("KL", "TW", "Bộ Chính trị", ("Kết luận về tiếp tục sắp xếp tổ chức bộ máy", "Kết luận về công tác phát triển "
                                                                                "đảng viên")),
    ("HD", "BTCTW", "Ban Tổ chức Trung ương", ("Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng "
                                               "và đảng viên", "Hướng dẫn nghiệp vụ công tác đảng viên")),
    ("HD", "VPTW", "Văn phòng Trung ương Đảng", ("Hướng dẫn thể thức và kỹ thuật trình bày văn bản của Đảng",)),
    ("KH", "TU", "Tỉnh ủy", ("Kế hoạch tổ chức đại hội đảng bộ các cấp", "Kế hoạch sơ kết công tác 6 tháng")),
    ("TB", "TU", "Tỉnh ủy", ("Thông báo kết luận của Ban Thường vụ Tỉnh ủy", "Thông báo lịch làm việc tháng")),
    ("CV", "BTCTU", "Ban Tổ chức Tỉnh ủy", ("Về việc báo cáo số lượng đảng viên", "Về việc rà soát hồ sơ đảng viên")),
    ("QĐ", "UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", ("Quyết định kiểm tra việc thực hiện nhiệm vụ kiểm tra",)),
)
OUTGOING = (  # (type, subjects)
    ("QĐ", ("Quyết định chuẩn y kết quả bầu cử", "Quyết định kết nạp đảng viên", "Quyết định công nhận đảng viên "
                                                                                "chính thức")),
    ("KH", ("Kế hoạch học tập, quán triệt nghị quyết", "Kế hoạch kiểm tra, giám sát năm")),
    ("TB", ("Thông báo lịch sinh hoạt chi bộ", "Thông báo kết luận hội nghị Ban Thường vụ")),
    ("BC", ("Báo cáo kết quả công tác xây dựng Đảng tháng", "Báo cáo sơ kết 6 tháng")),
    ("CV", ("Về việc nộp đảng phí quý", "Về việc chuẩn bị hồ sơ đại hội")),
)
SIGNERS = ("Nguyễn Văn Thành", "Trần Thị Minh Hà", "Lê Quang Huy", "Phạm Thị Thu")


def _days(rng: random.Random, today: date, n: int) -> list[date]:
    start = today - timedelta(days=364)
    return sorted(start + timedelta(days=rng.randrange(365)) for _ in range(n))


def _weekday(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def build_documents_demo(*, root: Organization, today: date, rng: random.Random) -> int:
    """A year of registers: about 120 incoming and 100 outgoing documents of `root`, 10 outgoing of each
    grassroots committee. Returns how many documents were written (0 when already there)."""
    if Document.objects.filter(organization__path__startswith=root.path, source__in=("register", "issued")).exists():
        return 0
    rows = []
    numbers: dict[tuple[str, str], int] = {}
    for day in _days(rng, today, 120):
        type_, issuer, sender, subjects = rng.choice(INCOMING)
        numbers[(type_, issuer)] = numbers.get((type_, issuer), rng.randrange(1, 40)) + rng.randrange(1, 6)
        day = _weekday(day)
        rows.append({"holder": root, "direction": "incoming", "day": day,
                     "number_symbol": f"{numbers[(type_, issuer)]}-{type_}/{issuer}",
                     "received_on": min(today, day + timedelta(days=rng.randrange(0, 4))), "sender": sender,
                     "signer": rng.choice(SIGNERS), "subject": rng.choice(subjects),
                     "recipients": f"{root.name}; các đảng bộ, chi bộ cơ sở"})
    holders = [(root, 100)] + [(o, 10) for o in Organization.objects.filter(
        parent=root, kind="grassroots_committee", valid_to__isnull=True).order_by("path")]
    for holder, n in holders:
        for day in _days(rng, today, n):
            type_, subjects = rng.choice(OUTGOING)
            rows.append({"holder": holder, "direction": "outgoing", "day": _weekday(day), "doc_type": type_,
                         "issuer": default_issuer(holder.kind), "signer": rng.choice(SIGNERS),
                         "subject": rng.choice(subjects), "recipients": "Các chi bộ trực thuộc; lưu Văn phòng"})
    return documents_load(actor=None, root=root, rows=rows)
