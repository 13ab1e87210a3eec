"""Arrival numbers («số đến») of incoming documents: a series per receiving organisation and year of
arrival, issued under the lock on the holder (as the outgoing series), shown on the document and
the register, searchable («số đến 2», «đến 2/2025») and exported."""

from datetime import date
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from dangbo.core.errors import InvalidInput
from dangbo.documents import rules, services
from dangbo.documents.models import Document


def _in(w, symbol, received_on, holder=None, **kw):
    return services.document_register(actor=w.office, holder=holder or w.root, number_symbol=symbol,
                                      day=date(2024, 12, 1), received_on=received_on, subject="Văn bản đến", **kw)


@given(n=st.integers(1, 999_999), year=st.one_of(st.none(), st.integers(1930, 2999)),
       words=st.sampled_from(["số đến {}", "Số đến: {}", "ĐẾN {}", "den {}", "so den so {}"]))
def test_an_arrival_number_typed_is_read_as_one(n, year, words):
    typed = words.format(n if year is None else f"{n}/{year}")
    assert rules.query_of(typed) == ("arrival", (n, year))


def test_words_with_den_are_still_words():
    assert rules.query_of("đến hạn") == ("words", ["den", "han"])
    assert rules.query_of("12")[0] == "words"


def test_series_per_holder_and_year_from_one(world):
    a = _in(world, "01-CV/TU", date(2025, 3, 1))
    b = _in(world, "02-CV/TU", date(2025, 3, 2))
    other = _in(world, "03-CV/TU", date(2025, 3, 2), holder=world.a)
    next_year = _in(world, "04-CV/TU", date(2026, 1, 2))
    assert [(d.arrival_number, d.arrival_year) for d in (a, b, other, next_year)] == [
        (1, 2025), (2, 2025), (1, 2025), (1, 2026)]
    assert not Document.objects.filter(direction="outgoing", arrival_number__isnull=False).exists()


def test_a_refused_registration_takes_no_number(world):
    _in(world, "01-CV/TU", date(2025, 3, 1))
    before = list(Document.objects.values_list("pk", "arrival_number"))
    with pytest.raises(InvalidInput):
        _in(world, "01-CV/TU", date(2025, 3, 1))  # the same document again
    assert list(Document.objects.values_list("pk", "arrival_number")) == before
    assert _in(world, "02-CV/TU", date(2025, 3, 5)).arrival_number == 2


def test_a_loaded_register_continues_the_series_in_order_of_arrival(world):
    _in(world, "01-CV/TU", date(2025, 1, 5))
    services.documents_load(actor=world.office, root=world.root, rows=[
        {"holder": world.root, "direction": "incoming", "day": date(2025, 1, 1), "number_symbol": "07-CV/TU",
         "received_on": date(2025, 2, 9), "subject": "muộn"},
        {"holder": world.root, "direction": "incoming", "day": date(2025, 1, 3), "number_symbol": "08-CV/TU",
         "received_on": date(2025, 2, 1), "subject": "sớm"},
        {"holder": world.root, "direction": "outgoing", "day": date(2025, 1, 3), "doc_type": "TB", "issuer": "ĐU",
         "subject": "đi"}])
    got = dict(Document.objects.filter(organization=world.root, source="register").values_list("subject",
                                                                                               "arrival_number"))
    assert (got["Văn bản đến"], got["sớm"], got["muộn"]) == (1, 2, 3)
    assert Document.objects.get(subject="đi").arrival_number is None


def test_shown_searched_and_exported(client, world):
    first = _in(world, "01-CV/TU", date(2025, 3, 1))
    second = _in(world, "02-CV/TU", date(2025, 3, 2), sender="Tỉnh ủy")
    client.force_login(world.office)
    page = client.get(f"/van-ban/{second.pk}/").content.decode()
    assert "Số đến" in page and "2 (năm 2025)" in page
    found = client.get("/van-ban/", {"q": "số đến 2"}).content.decode()
    assert f"/van-ban/{second.pk}/" in found and f"/van-ban/{first.pk}/" not in found
    assert "số đến 2/2025" in found
    assert f"/van-ban/{second.pk}/" not in client.get("/van-ban/", {"q": "đến 2/2024"}).content.decode()
    ws = load_workbook(BytesIO(client.get("/van-ban/xuat.xlsx", {"chieu": "incoming"}).content)).active
    assert ws["B4"].value == "Số đến"
    assert {ws.cell(row=r, column=2).value for r in range(5, ws.max_row + 1)} >= {"1/2025", "2/2025"}


def test_the_form_says_which_number_was_given(client, world):
    client.force_login(world.office)
    r = client.post("/van-ban/den/moi/", {"holder": world.root.pk, "number_symbol": "05-kh/tu",
                                         "date": "03/02/2026", "received_on": "", "sender": "Tỉnh ủy",
                                         "subject": "Kế hoạch", "signer": "", "recipients": ""}, follow=True)
    assert "Đã vào sổ văn bản đến 05-KH/TU, số đến 1." in r.content.decode()


def test_documents_registered_before_are_numbered_by_the_migration(world):
    """Migration 0004 numbers the incoming documents already registered, in order of arrival (a row
    without an arrival day by its date), per holder and year."""
    import importlib

    from django.apps import apps

    number_arrivals = importlib.import_module("dangbo.documents.migrations.0004_arrival_numbers").number_arrivals
    late = _in(world, "01-CV/TU", date(2025, 5, 1))
    early = _in(world, "02-CV/TU", date(2025, 2, 1))
    other = _in(world, "03-CV/TU", date(2025, 3, 1), holder=world.a)
    undated = _in(world, "04-CV/TU", date(2025, 1, 1))
    Document.objects.filter(pk=undated.pk).update(received_on=None, date=date(2025, 3, 1))
    Document.objects.update(arrival_number=None, arrival_year=None)
    number_arrivals(apps, None)
    got = {d.pk: (d.arrival_number, d.arrival_year) for d in Document.objects.filter(source="register")}
    assert got == {early.pk: (1, 2025), undated.pk: (2, 2025), late.pk: (3, 2025), other.pk: (1, 2025)}
