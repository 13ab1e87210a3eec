"""A member on temporary transfer (MEM-5): the host's staff read the profile, never manage it."""

from datetime import date

from django.test import Client

from dangbo.members.services import member_event_record


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_host_reads_the_profile_of_a_hosted_member_but_cannot_manage_it(world):
    outsider = _client(world.outsider)  # office staff of another tree
    url = f"/dang-vien/{world.hung.id}/"
    assert outsider.get(url).status_code == 404
    member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=date(2026, 1, 5),
                        to_org=world.x1, end_date=date(2026, 6, 1))
    page = outsider.get(url)
    assert page.status_code == 200 and world.hung.full_name in page.content.decode()
    assert 'name="kind"' not in page.content.decode()  # no event form for the host
    assert outsider.post(url + "su-kien/", {"kind": "temp_transfer_return", "date": "2026-02-01"}).status_code in (403, 404)
    assert outsider.get(url + "sua/").status_code in (403, 404)
    assert outsider.get(f"/api/members/{world.hung.id}").status_code in (403, 404)
    world.hung.refresh_from_db()
    assert world.hung.away  # the refused POST changed nothing
    member_event_record(actor=None, member=world.hung, kind="temp_transfer_return", on=date(2026, 3, 1))
    assert outsider.get(url).status_code == 404  # back home: out of the host's sight again
