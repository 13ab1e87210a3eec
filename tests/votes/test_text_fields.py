"""The open-vote subject goes through `core.textcheck` (control, zero-width, bidi, over-long)."""

import pytest

from dangbo.core.errors import InvalidInput
from dangbo.votes import services
from dangbo.votes.models import OpenVote


@pytest.mark.parametrize("bad", ["Nghị quyết\x00", "Nghị\u200b quyết", "Nghị quyết \u202eQN", "Nghị\x1bquyết"])
def test_subject_refused(world, congress, bad):
    with pytest.raises(InvalidInput, match="«Nội dung biểu quyết» chứa ký tự không được phép") as exc:
        services.vote_create(actor=None, congress=congress, subject=bad, kind="agenda")
    assert exc.value.field == "subject" and not OpenVote.objects.exists()


def test_subject_too_long(world, congress):
    with pytest.raises(InvalidInput, match="dài 256 ký tự, tối đa 255"):
        services.vote_create(actor=None, congress=congress, subject="x" * 256, kind="agenda")
    assert not OpenVote.objects.exists()
