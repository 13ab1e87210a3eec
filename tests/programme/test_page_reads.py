"""What one dashboard request reads (issue 12, session 9): the small reads the page shares between
its rows are made once a page, not once per target or per key task; the page shows the same."""

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.programme import services, views
from tests.programme.conftest import model, report


def _page(w, url="/chuong-trinh/?nam=2026"):
    c = Client()
    c.force_login(w.office)
    with CaptureQueriesContext(connection) as seen:
        r = c.get(url)
    assert r.status_code == 200
    return r.content.decode(), [q["sql"] for q in seen.captured_queries]


def test_the_page_reads_each_shared_thing_once(prog):
    w = prog
    model(w, w.a1, "hcm_study"), model(w, w.b, "dan_van_kheo", field="economy")
    report(w, w.t_plan, w.a, 2026, "100"), report(w, w.t_plan, w.b, 2025, "80")
    second = services.task_add(actor=None, programme=w.programme, code="NV2", title="Chuyển đổi số")
    services.item_add(actor=None, task=second, year=2026, title="Ký số văn bản", owner="Văn phòng",
                      deadline=date(2026, 9, 30))
    html, sql = _page(w)
    under = [q for q in sql if '"orgs_organization"."parent_id" =' in q and "programme" not in q]
    # the organisations directly under the page: once for the shown ones and every reported
    # target's figures, once for the rows of the table under the page
    assert len(under) == 2, under
    assert len([q for q in sql if q.startswith('SELECT "programme_targetgoal"')]) == 1
    assert len([q for q in sql if 'FROM "programme_actionitem"' in q]) == 1
    adopted = [q for q in sql if 'FROM "programme_target"' in q and '"programme_target"."parent_id" =' in q]
    assert len(adopted) == 1  # the one reported target of the page, asked once for its adopted ones
    # what the page shows of the key tasks: one item done of two in NV1, none of one in NV2
    assert '<td data-label="Việc đã xong" class="num">1/2</td>' in html
    assert '<td data-label="Việc đã xong" class="num">0/1</td>' in html


OLD_CELLS = ('{% load vn %}{% for s in cells %}<td data-label="{{ s.code }}" class="num">{% if s.actual is not None %}'
             '{{ s.actual|vn_figure }}{% else %}—{% endif %} <span class="rag {{ s.colour }}">{{ s.colour_label }}'
             '</span></td>{% endfor %}')


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "code": st.text(max_size=8),
    "actual": st.one_of(st.none(), st.decimals(min_value=-10**6, max_value=10**6, places=1), st.integers(0, 10**6)),
    "colour": st.sampled_from(["green", "amber", "red", "grey"]),
    "colour_label": st.text(max_size=12)}), max_size=6))
def test_the_cells_written_in_python_equal_the_template_loop(cells):
    """`views._cells_html` writes the same bytes as the `{% for %}` loop it replaced (escaping
    included: a code or label with < > & " ')."""
    from django.template import Context, Template

    assert views._cells_html(cells) == Template(OLD_CELLS).render(Context({"cells": cells}))
