"""The independent benchmark's rolls (``bench/registry_independent.py``) read back as they were written:
every row the truth names is a row the readers return (same ``FILE:ROW``), the legacy CSVs are
recognised as TCVN3 / VNI and their names decode to the people's names (rows whose name was damaged
on purpose aside). Guards the benchmark's figures against a generator that writes what it did not mean."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import registry_independent as G  # noqa: E402

from dangbo.registry import headers as H  # noqa: E402
from dangbo.registry.readers import read_file  # noqa: E402
from dangbo.registry.values import normalize_name  # noqa: E402

NAME_DAMAGE = {"no_diacritics", "tone_changed", "no_middle"}


def test_rolls_read_back_as_written(tmp_path):
    info = G.write_files(400, 5, tmp_path)
    truth, people = info["rows_truth"], info["people_region"]
    assert info["legacy_lines_roundtrip"]["failed"] == 0
    refs, checked = set(), 0
    encodings = {}
    for name in G.FILES:
        read = read_file(tmp_path / name)
        assert not read.rejected
        encodings[name] = read.encodings[next(h for h, f in read.columns.items() if f == H.FULL_NAME)]
        for row in read.rows:
            refs.add(row.ref)
            key, damage = truth[row.ref]
            if not NAME_DAMAGE & set(damage):
                got = normalize_name(row.values[H.FULL_NAME]).lower()
                assert got == normalize_name(people[key][1]).lower(), row.ref
                checked += 1
    assert refs == set(truth)
    assert checked > 300
    assert encodings == {"a-chinh.xlsx": "unicode", "b-tcvn3.csv": "tcvn3", "c-vni.csv": "vni",
                         "a-bo-sung.csv": "unicode"}


def test_legacy_bytes_decode_back():
    from dangbo.text.encodings import decode

    for text in ("Nguyễn Thị Hằng", "Đinh Bá Khắc Ánh", "xã Yên Mỹ, huyện Ý Yên"):
        for enc in ("tcvn3", "vni"):
            data = G.legacy_bytes(text, enc)
            assert decode(data.decode("latin-1").translate(G._C1), enc).lower() == text.lower()
