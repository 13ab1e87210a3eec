"""The delegate's phone page says the right reason when it shows no buttons (issue 10, item 7): not a
delegate, replaced by an alternate (naming them), an alternate sitting for nobody, not checked in,
checked in after the vote opened, the vote closed. A refused cast answers with the same reason and
writes nothing."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dangbo.accounts.services import account_create
from dangbo.congress import services as congress_services
from dangbo.congress.models import ALTERNATE, APPOINTED
from dangbo.votes import services
from dangbo.votes.models import VoteCast
from tests.conftest import PASSWORD


def phone(world, member, username):
    user = account_create(actor=None, username=username, password=PASSWORD, role="member", member=member)
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def hall(world, congress):
    """The votes conftest's congress (Hùng, Lan, Nam checked in; Mai not) plus: Mai replaced by the
    alternate Tâm (checked in), the alternate Khánh sitting for nobody (checked in), Bình official and
    absent, Quang official checked in after the vote opened; a phones vote opened a minute ago."""
    add = world.add
    world.tam_d = congress_services.delegate_add(actor=None, congress=congress, member=add(world.b, "Vũ Văn Tâm"),
                                                 kind=ALTERNATE, obtained=APPOINTED)
    world.khanh_d = congress_services.delegate_add(actor=None, congress=congress,
                                                   member=add(world.b, "Lý Văn Khánh"), kind=ALTERNATE,
                                                   obtained=APPOINTED)
    world.binh_d = congress_services.delegate_add(actor=None, congress=congress, member=add(world.b, "Hồ Văn Bình"),
                                                  obtained=APPOINTED)
    world.quang_d = congress_services.delegate_add(actor=None, congress=congress,
                                                   member=add(world.b, "Đinh Văn Quang"), obtained=APPOINTED)
    congress_services.alternate_replace(actor=None, congress=congress, absent=world.mai_d, alternate=world.tam_d)
    opened = timezone.now() - timedelta(minutes=1)
    for d in (world.tam_d, world.khanh_d):
        congress_services.delegate_check_in(actor=None, congress=congress, delegate=d, at=opened - timedelta(minutes=5))
    world.vote = services.vote_create(actor=None, congress=congress, subject="Thông qua Nghị quyết",
                                      kind="resolution", mode="phones")
    world.vote = services.vote_open(actor=None, vote=world.vote, at=opened)
    congress_services.delegate_check_in(actor=None, congress=congress, delegate=world.quang_d,
                                        at=opened + timedelta(seconds=30))
    return congress


def page(client) -> str:
    r = client.get("/bieu-quyet/")
    assert r.status_code == 200
    return re.sub(r"\s+", " ", r.content.decode())


def test_each_delegate_is_told_why(world, hall):
    mai = page(phone(world, world.mai, "mai"))
    assert "đại biểu dự khuyết Vũ Văn Tâm" in mai and "chưa điểm danh" not in mai and "Tán thành</button>" not in mai
    khanh = page(phone(world, world.khanh_d.member, "khanh"))
    assert "dự khuyết, chưa thay thế" in khanh and "chưa điểm danh" not in khanh
    quang = page(phone(world, world.quang_d.member, "quang"))
    opened = timezone.localtime(world.vote.opened_at)
    assert "sau khi biểu quyết được mở" in quang and f"{opened:%H:%M}" in quang
    binh = page(phone(world, world.binh_d.member, "binh"))
    assert "chưa điểm danh" in binh
    tam = page(phone(world, world.tam_d.member, "tam"))  # sits for Mai, checked in before: buttons
    assert "Tán thành</button>" in tam
    stranger = page(phone(world, world.stranger, "stranger"))
    assert "không có tên trong danh sách đại biểu" in stranger
    services.vote_close(actor=None, vote=world.vote)
    assert "Biểu quyết đã kết thúc" in page(phone(world, world.nam, "nam"))


def test_a_refused_cast_gives_the_same_reason_and_writes_nothing(world, hall):
    c = phone(world, world.mai, "mai")
    r = c.post(f"/bieu-quyet/{world.vote.id}/", {"choice": "for", "token": "a" * 32})
    assert r.status_code == 422 and "đại biểu dự khuyết Vũ Văn Tâm" in r.content.decode()
    c = phone(world, world.quang_d.member, "quang")
    r = c.post(f"/bieu-quyet/{world.vote.id}/", {"choice": "for", "token": "b" * 32})
    assert r.status_code == 422 and "sau khi biểu quyết được mở" in r.content.decode()
    assert not VoteCast.objects.exists()
