"""match() alone on the records of one independent roll set: CPU seconds and counts.

Run it for the code before and after a change, interleaved, with PYTHONPATH pointing at each tree's
``src`` (e.g. ``git archive <commit> src | tar -x -C /tmp/before``). The records are read once from
the four files of ``bench/registry_independent.py --out DIR`` and pickled in DIR/records.pickle.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
django.setup()

from dangbo.registry import matching as MT  # noqa: E402
from dangbo.registry.merge import read_files  # noqa: E402
from dangbo.registry.records import make_record  # noqa: E402

FILES = ("a-chinh.xlsx", "b-tcvn3.csv", "c-vni.csv", "a-bo-sung.csv")


def records(out: Path) -> list:
    cache = out / "records.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    recs = []
    for fr in read_files([out / f for f in FILES]):
        for row in fr.rows:
            r = make_record(row, len(recs), fr.file)
            if not isinstance(r, str):
                recs.append(r)
    cache.write_bytes(pickle.dumps(recs))
    return recs


def main() -> int:
    recs = records(Path(sys.argv[1]))
    c0, w0 = time.process_time(), time.perf_counter()
    m = MT.match(recs)
    print(json.dumps({"code": MT.__file__.split("/src/")[0], "cpu_s": round(time.process_time() - c0, 2),
                      "wall_s": round(time.perf_counter() - w0, 2), "load": round(os.getloadavg()[0], 2),
                      "compared": m.stats["compared"], "review": len(m.review), "weak": len(m.weak),
                      "persons": len(m.clusters)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
