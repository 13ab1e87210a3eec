"""A congress of the test committee with three checked-in delegates and one absent."""

from datetime import date

import pytest

from dangbo.congress import services as congress_services
from dangbo.congress.models import APPOINTED


@pytest.fixture
def congress(world):
    c = congress_services.congress_create(actor=world.office, organization=world.root, kind="delegates",
                                          term="2025–2030", name="Đại hội đại biểu lần thứ I",
                                          start_date=date(2025, 7, 28), end_date=date(2025, 7, 29))
    world.nam = world.add(world.b, "Đỗ Văn Nam")
    world.mai = world.add(world.b, "Vũ Thị Mai", sex="F")
    world.hung_d, world.lan_d, world.nam_d, world.mai_d = (
        congress_services.delegate_add(actor=world.office, congress=c, member=m, obtained=APPOINTED)
        for m in (world.hung, world.lan, world.nam, world.mai))
    for d in (world.hung_d, world.lan_d, world.nam_d):
        congress_services.delegate_check_in(actor=world.office, congress=c, delegate=d)
    return c
