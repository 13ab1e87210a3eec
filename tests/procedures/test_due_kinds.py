"""«Việc cần làm» by kind (issue 14, third round): the counts per kind, the pages of a kind, the
home page's first items and the whole list equal the list of ecabd23 (`old_due_list`, kept below as
the oracle) on random registries; the page of a province shows counts and one page, a cell's list
stays whole."""

from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.accounts.selectors import scope_of
from dangbo.core.rulesettings import configured
from dangbo.members import rules as mr
from dangbo.members.models import Member, MemberEvent
from dangbo.members.services import member_create, member_event_record
from dangbo.orgs.models import Organization
from dangbo.procedures import due, rules
from dangbo.procedures.models import Applicant
from dangbo.procedures.selectors import DUE_SOURCES, Due, _badges_due, _url_maker, due_list, due_summary
from dangbo.workdays.selectors import calendar_days

HORIZON_DAYS = 90


def old_due_list(*, user, today: date | None = None, horizon_days: int = HORIZON_DAYS) -> list[Due]:
    """What is due in the user's scope up to `horizon_days` ahead (late items first: their date is past):
    ceremonies to hold (ADM-5), admission files waiting, probation ending and recognition overdue
    (MEM-1), badges to award at the coming occasions (MEM-3), transfer letters to present (MEM-5),
    and what other apps register
    (`due_register`: fee exemptions and reductions ending).

    Reads plain values (no model instances) and builds each link from one `reverse`: the home page's
    digest calls it on every load (docs/PERFORMANCE.md)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    today = today or date.today()
    until = today + timedelta(days=horizon_days)
    cfg = configured(mr.MemberRuleSettings)
    adm = configured(rules.AdmissionRuleSettings)
    off, worked = calendar_days(today - timedelta(days=800), until + timedelta(days=120))
    out: list[Due] = []
    applicant_url = _url_maker("procedure_applicant")
    for a in Applicant.objects.filter(org_path__startswith=scope.org_path, member__isnull=True) \
            .select_related("organization"):
        url = applicant_url(a.id)
        if a.step == "ceremony":
            last = rules.ceremony_deadline(a.decision_received_date, off, worked, settings=adm)
            out.append(Due(last, "Tổ chức lễ kết nạp (hạn chót)", a.full_name, a.organization.name, url,
                           late=last < today))
        else:
            out.append(Due(today, f"Hồ sơ kết nạp, bước tiếp theo: {a.step_label}", a.full_name, a.organization.name,
                           url))
    member_url = _url_maker("member_detail")
    probationary = Member.objects.filter(org_path__startswith=scope.org_path, state=mr.PROBATIONARY) \
        .values_list("id", "full_name", "ceremony_date", "admission_date", "organization__name")
    for pk, name, ceremony, admission, org in probationary:
        start = ceremony or admission
        if start is None:
            continue
        end = mr.probation_end(start, settings=cfg)
        deadline = rules.recognition_deadline(end, off, worked, settings=cfg)
        if deadline < today:
            out.append(Due(deadline, "Quá hạn xét công nhận đảng viên chính thức", name, org, member_url(pk),
                           late=True))
        elif end <= until:
            out.append(Due(deadline, f"Xét công nhận đảng viên chính thức (hết dự bị {end:%d/%m/%Y})", name,
                           org, member_url(pk)))
    latest: dict[int, tuple] = {}  # MEM-5: temporary transfers ending (the latest temporary transfer out)
    for mid, on, eid, end in MemberEvent.objects.filter(
            member__org_path__startswith=scope.org_path, member__away=True, kind="temp_transfer_out",
            end_date__isnull=False).values_list("member_id", "date", "id", "end_date"):
        if mid not in latest or (on, eid) > latest[mid][:2]:
            latest[mid] = (on, eid, end)
    ending = {mid: v[2] for mid, v in latest.items() if v[2] <= until}
    for pk, name, org in Member.objects.filter(pk__in=list(ending)).values_list("id", "full_name",
                                                                               "organization__name"):
        end = ending[pk]
        out.append(Due(end, "Hết thời hạn sinh hoạt đảng tạm thời", name, org, member_url(pk), late=end < today))
    occasion = mr.next_award_day(today, settings=cfg)
    if occasion <= until:
        n = _badges_due(scope.org_path, occasion, today, cfg, count=True)
        if n:
            out.append(Due(occasion, f"Trao Huy hiệu Đảng ngày {occasion:%d/%m/%Y}: lập danh sách đề nghị",
                           f"{n} đảng viên", "", reverse("procedure_badges")))
    from dangbo.procedures.models import TransferLetter

    letters_url = reverse("procedure_letters")  # MEM-5: letters still to present to the receiving cell
    for year, number, present_by, complete_by, name, to_org in TransferLetter.objects.filter(
            org_path__startswith=scope.org_path, confirmed_date__isnull=True, withdrawn_date__isnull=True).values_list(
            "year", "number", "present_by", "complete_by", "member__full_name", "to_org__name"):
        out.append(Due(present_by, f"Nộp giấy giới thiệu chuyển sinh hoạt số {number}/{year}/GGT "
                                   f"(hoàn thành trước {complete_by:%d/%m/%Y})", name, to_org, letters_url,
                       late=present_by < today))
    for source in DUE_SOURCES.values():
        for on, what, who, org, url in source(scope.org_path, today, until):
            out.append(Due(on, what, who, org, url, late=on < today))
    return sorted(out, key=lambda d: (d.on, not d.late, d.kind, d.who))


def _key(d) -> str:
    """The kind of an old row, from its text."""
    for prefix, key in (("Tổ chức lễ kết nạp", due.CEREMONY), ("Hồ sơ kết nạp", due.FILES),
                        ("Quá hạn xét công nhận", due.OVERDUE), ("Xét công nhận", due.RECOGNITION),
                        ("Hết thời hạn sinh hoạt đảng tạm thời", due.TEMP), ("Trao Huy hiệu", due.BADGES),
                        ("Nộp giấy giới thiệu", due.LETTERS)):
        if d.kind.startswith(prefix):
            return key
    return "khac-fee_reliefs"


def _probationers(world, starts, cells):
    for i, (admitted, ceremony_after, cell) in enumerate(starts):
        ceremony = admitted + timedelta(days=ceremony_after) if ceremony_after is not None else None
        member_create(actor=None, organization=cells[cell % len(cells)],
                      profile={"full_name": f"Dự Bị {i:03d}", "sex": "F", "birth_date": date(1990, 1, 1)},
                      admission_date=admitted, ceremony_date=ceremony, today=date(2027, 12, 31))


def child_under(scope: Organization, org: Organization) -> Organization:
    """The organisation directly under `scope` that `org` lies in (`scope` itself for its own)."""
    while org.pk != scope.pk and org.parent_id != scope.pk:
        org = org.parent
    return org


def _check_breakdown(s, k, rows):
    """The breakdown names the organisations directly under the scope with their items (each its whole
    subtree), most first, and counts the rest; none when every item is the scope's own (a cell)."""
    scope = Organization.objects.get(path=s.ctx.org_path)
    by_name = {o.name: o for o in Organization.objects.all()}
    if not all(d.org in by_name for d in rows):
        return  # the badge line (one row, no organisation)
    want = Counter(child_under(scope, by_name[d.org]) for d in rows)
    top, more_orgs, more_items = due.org_breakdown(s, k)
    if set(want) <= {scope}:
        assert (top, more_orgs, more_items) == ([], 0, 0)
        return
    named = {o.name: n for o, n in want.items()}
    assert all(named[name] == n for name, n, _ in top) and more_items == k.count - sum(n for _, n, _ in top)
    assert [n for _, n, _ in top] == sorted((n for _, n, _ in top), reverse=True)
    assert more_orgs == len(want) - len(top)
    for name, _n, org_id in top:  # each links to its own page, the scope's own items to none
        assert org_id == (None if name == scope.name else by_name[name].pk)


def _check(user, today, monkeypatch):
    old = old_due_list(user=user, today=today)
    s = due_summary(user=user, today=today)
    assert due_list(user=user, today=today) == old
    assert {k.key: k.count for k in s.kinds if k.count} == Counter(map(_key, old))
    assert {k.key: k.late for k in s.kinds if k.late} == +Counter(_key(d) for d in old if d.late)
    for n in (1, 5):
        assert due.head(s, n) == old[:n]
    monkeypatch.setattr(due, "PAGE", 3)
    for k in s.kinds:
        pages = [due.page(s, k, i) for i in range(1, -(-k.count // 3) + 2)]
        assert pages[-1] == [] and all(len(p) == 3 for p in pages[:-2])
        rows = [d for p in pages for d in p]
        assert sorted(rows, key=repr) == sorted((d for d in old if _key(d) == k.key), key=repr)
        assert [d.on for d in rows] == sorted((d.on for d in rows), reverse=True)  # latest deadline first
        _check_breakdown(s, k, rows)
    monkeypatch.undo()


start = st.tuples(st.dates(date(2024, 1, 1), date(2026, 6, 30)), st.one_of(st.none(), st.integers(0, 60)),
                  st.integers(0, 3))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(starts=st.lists(start, max_size=30), today=st.dates(date(2025, 1, 1), date(2026, 12, 31)))
def test_kinds_pages_and_head_equal_the_old_list(world, monkeypatch, starts, today):
    cells = [world.a1, world.a2, world.b, world.x1]
    with transaction.atomic():  # each example starts from the fixture's world
        _probationers(world, starts, cells)
        member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=date(2025, 1, 1),
                            end_date=date(2025, 9, 1), place="Trường A", decision_date=date(2025, 1, 1))
        for user in (world.office, world.secretary):
            _check(user, today, monkeypatch)
        transaction.set_rollback(True)


def test_a_province_sized_list_shows_counts_and_pages(world, monkeypatch):
    monkeypatch.setattr(due, "PAGE", 4)
    _probationers(world, [(date(2024, 1, 1) + timedelta(days=i), None, i) for i in range(11)],
                  [world.a1, world.a2, world.b])  # with Lê Thị Hoà (admitted 01/09/2025): 12 overdue
    c = Client()
    c.force_login(world.office)
    page = c.get(reverse("procedure_due")).content.decode()
    assert "Quá hạn xét công nhận đảng viên chính thức" in page and "Số việc theo loại" in page
    assert "Trang 1/3" in page and "Trang sau" in page and page.count("Dự Bị 0") == 3
    assert "Lê Thị Hoà" in page and "Dự Bị 010" in page  # the latest deadline first
    last = c.get(reverse("procedure_due") + f"?loai={due.OVERDUE}&trang=3").content.decode()
    assert "Trang 3/3" in last and "Dự Bị 000" in last and "Trang trước" in last
    assert c.get(reverse("procedure_due") + "?loai=khong-co&trang=x").status_code == 200
    monkeypatch.setattr(due, "PAGE", 50)
    c.force_login(world.secretary)  # a short list stays whole
    small = c.get(reverse("procedure_due")).content.decode()
    assert "Số việc theo loại" not in small and "Dự Bị 000" in small and "Dự Bị 009" in small


def test_the_breakdown_names_the_organisations_directly_under_the_page_and_links_to_theirs(world, monkeypatch):
    """The root's office sees its grassroots committee A (A1 and A2 counted together) and the cell B,
    each a link to its own «Việc cần làm» (`?org=`); A's page shows its cells; a cell's page no
    breakdown; an organisation outside the user's scope is refused."""
    monkeypatch.setattr(due, "PAGE", 4)
    _probationers(world, [(date(2024, 1, 1) + timedelta(days=i), None, i % 3) for i in range(12)],
                  [world.a1, world.a2, world.b])  # 4 each; with Lê Thị Hoà (B): A 8, B 5
    c = Client()
    c.force_login(world.office)
    page = c.get(reverse("procedure_due")).content.decode()
    table = page.split('aria-label="Theo tổ chức đảng"')[1].split("</table>")[0]
    assert f'href="?org={world.a.pk}&amp;loai={due.OVERDUE}">Đảng bộ cơ sở A</a>' in table
    assert f'href="?org={world.b.pk}&amp;loai={due.OVERDUE}">Chi bộ cơ sở B</a>' in table
    assert table.index("Đảng bộ cơ sở A") < table.index("Chi bộ cơ sở B") and "Chi bộ A1" not in table
    assert '<td class="num" data-label="Số việc">8</td>' in table and '<td class="num" data-label="Số việc">5</td>' in table
    under_a = c.get(reverse("procedure_due") + f"?org={world.a.pk}").content.decode()
    assert "Việc cần làm: Đảng bộ cơ sở A" in under_a and "Quá hạn xét công nhận đảng viên chính thức: 8 việc" in under_a
    table = under_a.split('aria-label="Theo tổ chức đảng"')[1].split("</table>")[0]
    assert "Chi bộ A1" in table and "Chi bộ A2" in table and "Lê Thị Hoà" not in under_a
    assert f"?org={world.a.pk}&amp;loai={due.OVERDUE}&amp;trang=2" in under_a  # the pager stays on A
    cell = c.get(reverse("procedure_due") + f"?org={world.a1.pk}").content.decode()
    assert "Chi bộ A1" in cell and "Số việc theo loại" not in cell  # 4 items: the list whole
    monkeypatch.setattr(due, "PAGE", 2)
    cell = c.get(reverse("procedure_due") + f"?org={world.a1.pk}").content.decode()
    assert "Số việc theo loại" in cell and "Theo tổ chức đảng" not in cell  # a cell: no breakdown
    assert c.get(reverse("procedure_due") + f"?org={world.x1.pk}").status_code == 404  # another tree
    c.force_login(world.secretary)
    assert c.get(reverse("procedure_due") + f"?org={world.b.pk}").status_code == 404  # outside A
    assert c.get(reverse("procedure_due") + f"?org={world.a2.pk}").status_code == 200
