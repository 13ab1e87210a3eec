"""Every rule id the code cites (CON-7, MEM-1 …) exists in docs/DOMAIN.md, the rules' source of truth in
the repository, so a reader can always look the rule up."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULE_ID = re.compile(r"\b(ORG|MEM|CON|APR|DOC|FEE|MTG|ADM|MOD|TGT)-(\d+)\b")


def _defined() -> set[str]:
    text = (ROOT / "docs" / "DOMAIN.md").read_text(encoding="utf-8")
    return {f"{m[1]}-{m[2]}" for m in re.finditer(r"^- (\w+)-(\d+) ", text, re.M)}


def test_domain_md_defines_rules():
    defined = _defined()
    assert {"CON-1", "CON-4", "CON-5", "MEM-1", "MEM-3", "APR-2", "FEE-1", "MTG-8"} <= defined


def test_every_cited_rule_id_exists():
    defined = _defined()
    missing = {}
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in (".py", ".html", ".txt", ".md"):
            continue
        for m in RULE_ID.finditer(path.read_text(encoding="utf-8", errors="replace")):
            rule = f"{m[1]}-{m[2]}"
            if rule not in defined:
                missing.setdefault(rule, str(path.relative_to(ROOT)))
    assert not missing, f"rule ids cited in the code but not in docs/DOMAIN.md: {missing}"
