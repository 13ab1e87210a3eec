"""Login throttling through HTTP: one address spraying many usernames is locked (DANGBO_LOGIN_FAILURE_
LIMIT_PER_ADDRESS, 20), the username+address lock stays, and behind a configured proxy the client
address comes from X-Forwarded-For — what the client wrote there itself does not count."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import PASSWORD


def _spray(client: Client, n: int, **extra) -> list:
    return [client.post("/dang-nhap/", {"username": f"nguoi-dung-{i}", "password": "sai-mat-khau"}, **extra)
            for i in range(n)]


def _locked(response) -> bool:
    return response.status_code == 429 and "Tạm khóa đăng nhập" in response.content.decode()


def test_one_address_spraying_usernames_is_locked(world):
    attacker = Client(REMOTE_ADDR="10.20.0.66")
    answers = _spray(attacker, 25)
    assert not any(_locked(r) for r in answers[:19])  # one failure per username: never the pair limit
    assert all(_locked(r) for r in answers[20:])
    r = attacker.post("/dang-nhap/", {"username": "office", "password": PASSWORD})
    assert _locked(r) and "_auth_user_id" not in attacker.session
    assert "Vui lòng thử lại sau 15 phút" in r.content.decode()
    # another address is not affected
    colleague = Client(REMOTE_ADDR="10.20.0.67")
    assert colleague.post("/dang-nhap/", {"username": "office", "password": PASSWORD}).status_code == 302


def test_below_the_address_limit_a_correct_login_still_works(world):
    c = Client(REMOTE_ADDR="10.20.0.70")
    _spray(c, 19)
    assert c.post("/dang-nhap/", {"username": "office", "password": PASSWORD}).status_code == 302


def test_a_successful_login_does_not_clear_the_address_count(world):
    c = Client(REMOTE_ADDR="10.20.0.71")
    _spray(c, 15)
    assert c.post("/dang-nhap/", {"username": "member", "password": PASSWORD}).status_code == 302
    c.logout()
    _spray(c, 5)
    assert _locked(c.post("/dang-nhap/", {"username": "office", "password": PASSWORD}))


def test_the_username_address_lock_is_kept(world):
    c = Client(REMOTE_ADDR="10.20.0.72")
    for _ in range(5):
        c.post("/dang-nhap/", {"username": "office", "password": "sai-mat-khau"})
    assert _locked(c.post("/dang-nhap/", {"username": "office", "password": PASSWORD}))
    assert c.post("/dang-nhap/", {"username": "secretary", "password": PASSWORD}).status_code == 302


def test_without_configured_proxies_the_forwarded_header_is_ignored(world):
    """Everybody's X-Forwarded-For is the client's own word: spoofed addresses all count as one."""
    c = Client(REMOTE_ADDR="10.20.0.73")
    for i in range(20):
        c.post("/dang-nhap/", {"username": f"x{i}", "password": "sai"}, HTTP_X_FORWARDED_FOR=f"14.160.0.{i}")
    assert _locked(c.post("/dang-nhap/", {"username": "office", "password": PASSWORD},
                          HTTP_X_FORWARDED_FOR="14.160.1.1"))


@pytest.fixture
def behind_one_proxy(settings):
    from dangbo.ops.proxy import client_address_settings

    for name, value in client_address_settings(1).items():
        setattr(settings, name, value)


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(world, behind_one_proxy):
    proxy = Client(REMOTE_ADDR="127.0.0.1")  # nginx on the same machine: every request comes from it
    for i in range(20):  # the attacker at 14.160.5.5 writes a new fake address into the header each time
        proxy.post("/dang-nhap/", {"username": f"x{i}", "password": "sai"},
                   HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 14.160.5.5")
    assert _locked(proxy.post("/dang-nhap/", {"username": "office", "password": PASSWORD},
                              HTTP_X_FORWARDED_FOR="9.9.9.9, 14.160.5.5"))
    # a colleague behind the same proxy is not locked out with the attacker
    colleague = Client(REMOTE_ADDR="127.0.0.1")
    r = colleague.post("/dang-nhap/", {"username": "office", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert r.status_code == 302


# clients reach the proxy from public IPv4, global unicast IPv6 (here APNIC's 2400::/12) or the office LAN;
# a client's address is unicast (224.0.0.0 is "global" to Python, but multicast: never a client's)
PUBLIC = (st.ip_addresses(v=4).filter(lambda a: a.is_global and not (a.is_multicast or a.is_reserved))
          | st.ip_addresses(network="2400::/12"))
PRIVATE = st.ip_addresses(network="10.0.0.0/8") | st.ip_addresses(network="192.168.0.0/16")
WRITTEN = st.lists(st.ip_addresses().map(str) | st.sampled_from(["unknown", "", "localhost", "1.2.3.4:80", "[::1]"]),
                   max_size=4)


@given(written=WRITTEN, client=PUBLIC | PRIVATE, proxies=st.lists(PRIVATE, min_size=0, max_size=2))
def test_behind_n_proxies_the_address_is_the_one_the_first_proxy_saw(written, client, proxies):
    """Property: with DANGBO_TRUSTED_PROXIES = N (the last proxy's own address is the connection's, the
    others appended theirs), the address axes counts is the client's, whatever the client wrote into
    X-Forwarded-For itself (on the left)."""
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory, override_settings

    from dangbo.ops.proxy import client_address_settings

    chain = [*written, str(client), *map(str, proxies)]
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=", ".join(chain), REMOTE_ADDR="127.0.0.1")
    with override_settings(**client_address_settings(len(proxies) + 1)):
        assert get_client_ip_address(request) == str(client)
    with override_settings(**client_address_settings(0)):  # no proxy configured: the header is ignored
        assert get_client_ip_address(request) == "127.0.0.1"
