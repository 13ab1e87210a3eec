"""The signed transfer file between two committees that both run the platform (MEM-5, issue 13).

The sending side exports a member's record and whole history as JSON, signed with its committee's
Ed25519 key (`cryptography`); the receiving side verifies the signature over the exact payload
bytes, refuses a tampered file, imports the member into the cell it chooses and keeps the whole
signed file and the signer's key fingerprint as provenance (`services.transfer_import`).

Keys: one per committee (root organisation), `var/keys/committee-<id>.ed25519`, the 32 raw private
bytes, created owner-only (0600, folder 0700) on first use and never leaving the installation; the
public key travels inside each file and its fingerprint (SHA-256, first 16 hex digits in groups) is
shown to the receiving office to compare with the sender's by telephone or letter.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dangbo.ops.files import owner_only_dir

FORMAT = "dangbo-transfer/1"
MAX_BYTES = 5 * 1024 * 1024


class TransferFileError(ValueError):
    """A transfer file that cannot be trusted or read (Vietnamese message)."""


def _keys_dir(var_dir: Path) -> Path:
    return owner_only_dir(owner_only_dir(var_dir) / "keys")


def committee_key(var_dir: Path, committee_id: int) -> Ed25519PrivateKey:
    """The committee's signing key, created owner-only on first use."""
    path = _keys_dir(var_dir) / f"committee-{int(committee_id)}.ed25519"
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raw = path.read_bytes()
        if len(raw) != 32:
            raise TransferFileError(f"Khóa ký của đảng bộ trong {path} bị hỏng.") from None
        return Ed25519PrivateKey.from_private_bytes(raw)
    key = Ed25519PrivateKey.generate()
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes_raw())
    return key


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes_raw()


def own_fingerprint(var_dir: Path, committee_id: int) -> str:
    """The fingerprint of this committee's own key, for its office to tell the receiving office."""
    return fingerprint(_raw_public(committee_key(var_dir, committee_id).public_key()))


def fingerprint(public_raw: bytes) -> str:
    """What the offices compare: SHA-256 of the public key, 16 hex digits in groups of 4."""
    h = hashlib.sha256(public_raw).hexdigest()[:16].upper()
    return " ".join(h[i:i + 4] for i in range(0, 16, 4))


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(payload: dict, key: Ed25519PrivateKey) -> bytes:
    """The file's bytes: {"payload", "public_key", "signature"} (base64), payload signed canonically."""
    body = canonical({**payload, "format": FORMAT})
    doc = {"payload": json.loads(body), "public_key": base64.b64encode(_raw_public(key.public_key())).decode(),
           "signature": base64.b64encode(key.sign(body)).decode()}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def verify(data: bytes) -> tuple[dict, str]:
    """(payload, signer fingerprint) of a transfer file whose signature holds; TransferFileError otherwise."""
    if len(data) > MAX_BYTES:
        raise TransferFileError("Tệp chuyển sinh hoạt quá lớn.")
    try:
        doc = json.loads(data.decode("utf-8"))
        payload, pub, sig = doc["payload"], base64.b64decode(doc["public_key"], validate=True), \
            base64.b64decode(doc["signature"], validate=True)
        key = Ed25519PublicKey.from_public_bytes(pub)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise TransferFileError("Tệp không phải tệp chuyển sinh hoạt đảng của hệ thống (không đọc được).") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise TransferFileError("Tệp không phải tệp chuyển sinh hoạt đảng của hệ thống (sai định dạng).")
    try:
        key.verify(sig, canonical(payload))
    except InvalidSignature:
        raise TransferFileError("Chữ ký của tệp không đúng: tệp đã bị sửa sau khi ký hoặc không do đảng bộ gửi "
                                "ký. Không nhập; đề nghị nơi gửi gửi lại tệp.") from None
    return payload, fingerprint(pub)
