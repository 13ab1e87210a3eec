"""Two tellers entering at the same time (and a third client retrying the same entries): every
ballot gets exactly one chain place, the chain is contiguous and verifies. On in-memory SQLite (one
connection) this is skipped; it runs on PostgreSQL (make test-postgres) and on file SQLite."""

import threading

import pytest
from django.db import connection

from dangbo.core.errors import InvalidInput
from dangbo.elections import chain, services
from dangbo.elections.models import ACCEPTED
from tests.elections.conftest import make_round, tellers


@pytest.mark.django_db(transaction=True)
def test_concurrent_tellers_chain_each_ballot_once(hall):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is one connection")
    e = make_round(hall.congress, ["Một", "Hai", "Ba", "Bốn"], 3)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=7)
    barrier, errors, refused = threading.Barrier(3), [], []
    users = tellers(hall.congress)

    def teller(no_teller, order):
        from django.db import connection as conn
        barrier.wait()
        try:
            for no in order:
                try:
                    services.ballot_enter(actor=users[no_teller - 1], election=e, teller=no_teller, ballot_no=no, kept=[1, no % 3 + 2])
                except InvalidInput:
                    refused.append((no_teller, no))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=teller, args=(1, range(1, 8))),
               threading.Thread(target=teller, args=(2, range(7, 0, -1))),
               threading.Thread(target=teller, args=(2, range(1, 8)))]  # a second device of teller 2
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(refused) == 7  # every ballot: teller 2's second entry is refused, whichever came first
    accepted = list(e.ballots.filter(status=ACCEPTED).order_by("seq"))
    assert [b.seq for b in accepted] == list(range(1, 8)) and sorted(b.ballot_no for b in accepted) == list(range(1, 8))
    rows = chain.export_rows([(b.ballot_no, b.kept, b.flags) for b in accepted])
    assert chain.verify(rows, fingerprint=accepted[-1].hash).ok
