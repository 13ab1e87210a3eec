"""The signed transfer file (MEM-5): export from one committee, verify and import at another with
provenance kept; a tampered file or a wrong signature is refused with nothing written."""

import base64
import json
import os
import re
import stat
from datetime import date

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.members.services import member_event_record
from dangbo.procedures import services, transfer
from dangbo.procedures.models import TransferImport


@pytest.fixture
def exported(world, tmp_path):
    member_event_record(actor=None, member=world.lan, kind="discipline", on=date(2024, 5, 10),
                        decision_date=date(2024, 5, 10), details={"level": "reprimand"})
    data = services.transfer_export(actor=world.office, member=world.lan, letter_number="15-GGT/ĐU",
                                    destination="Đảng bộ Khác", var_dir=tmp_path / "var")
    return data


def test_key_owner_only_and_stable(tmp_path):
    k1 = transfer.committee_key(tmp_path / "var", 7)
    k2 = transfer.committee_key(tmp_path / "var", 7)
    assert k1.public_key().public_bytes_raw() == k2.public_key().public_bytes_raw()
    path = tmp_path / "var" / "keys" / "committee-7.ed25519"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_export_then_import_keeps_history_and_provenance(world, exported):
    payload, print_ = transfer.verify(exported)
    assert payload["member"]["full_name"] == "Trần Thị Lan" and payload["letter_number"] == "15-GGT/ĐU"
    before = Member.objects.count()
    m = services.transfer_import(actor=world.outsider, data=exported, organization=world.x1)
    assert Member.objects.count() == before + 1 and m.org_path.startswith(world.other.path)
    assert (m.admission_date, m.state) == (world.lan.admission_date, "official")
    assert list(m.events.filter(kind="discipline").values_list("date", "details")) == [
        (date(2024, 5, 10), {"level": "reprimand"})]
    kept = TransferImport.objects.get(member=m)
    assert kept.fingerprint == print_ and kept.from_committee == "Đảng bộ Thử nghiệm"
    assert len(kept.payload["events"]) == world.lan.events.count()
    assert AuditEvent.objects.filter(action="procedure.transfer_import", object_id=str(m.id)).exists()


@pytest.mark.parametrize("tamper", ["name", "signature", "key", "garbage"])
def test_tampered_file_refused_nothing_written(world, exported, tamper):
    doc = json.loads(exported)
    if tamper == "name":
        doc["payload"]["member"]["full_name"] = "Trần Thị Lành"
    elif tamper == "signature":
        sig = bytearray(base64.b64decode(doc["signature"]))
        sig[0] ^= 1
        doc["signature"] = base64.b64encode(bytes(sig)).decode()
    elif tamper == "key":  # re-signed by someone else's key: the signature holds, but not the sender's key
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        other = transfer.sign({k: v for k, v in doc["payload"].items() if k != "format"}, Ed25519PrivateKey.generate())
        assert transfer.verify(other)[1] != transfer.verify(exported)[1]  # a different fingerprint shows
        return
    data = b"not json" if tamper == "garbage" else json.dumps(doc, ensure_ascii=False).encode()
    before = (Member.objects.count(), TransferImport.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput, match="Chữ ký của tệp không đúng|không đọc được"):
        services.transfer_import(actor=world.outsider, data=data, organization=world.x1)
    assert (Member.objects.count(), TransferImport.objects.count(), AuditEvent.objects.count()) == before


def test_transfer_page_export_and_import(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    c = Client()
    c.force_login(world.office)
    r = c.post("/chuyen-sinh-hoat/", {"export": "", "member": world.lan.id, "letter_number": "16-GGT/ĐU",
                                      "destination": "Đảng bộ Khác"})
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    data = r.content
    c.force_login(world.outsider)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = data.replace("Trần Thị Lan".encode(), "Trần Thị Lành".encode())
    r = c.post("/chuyen-sinh-hoat/", {"import": "", "organization": world.x1.id,
                                      "file": SimpleUploadedFile("t.json", bad)})
    assert r.status_code == 422 and "Chữ ký của tệp không đúng" in r.content.decode()
    r = c.post("/chuyen-sinh-hoat/", {"import": "", "organization": world.x1.id,
                                      "file": SimpleUploadedFile("t.json", data)})
    assert r.status_code == 302
    assert "Đảng bộ Thử nghiệm" in c.get("/chuyen-sinh-hoat/").content.decode()
    c.force_login(world.secretary)
    assert c.get("/chuyen-sinh-hoat/").status_code == 403


def test_transfer_page_shows_own_fingerprint_the_receiver_sees(world, settings, tmp_path):
    """The sending office reads its key's fingerprint on its page, to tell the receiving office; it is
    the one the receiver's check of the file shows. The member picker speaks Vietnamese."""
    settings.VAR_DIR = tmp_path / "var"
    c = Client()
    c.force_login(world.office)
    page = c.get("/chuyen-sinh-hoat/").content.decode()
    assert "— Chọn đảng viên —" in page and "---------" not in page
    shown = re.search(r'id="dau-van-khoa">([0-9A-F ]{19})<', page).group(1)
    data = c.post("/chuyen-sinh-hoat/", {"export": "", "member": world.lan.id, "letter_number": "16-GGT/ĐU",
                                         "destination": "Đảng bộ Khác"}).content
    assert transfer.verify(data)[1] == shown
    c.force_login(world.outsider)  # another committee: its own key, another fingerprint
    other = re.search(r'id="dau-van-khoa">([0-9A-F ]{19})<', c.get("/chuyen-sinh-hoat/").content.decode()).group(1)
    assert other != shown
