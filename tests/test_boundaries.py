"""No app reaches into another app's private names (`from dangbo.members.services import _record`):
what an app offers others is what it names without a leading underscore. The layer and purity
contracts are import-linter's (`.importlinter`, run by `make lint`)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "dangbo"


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else parts[-1]


def test_no_private_names_imported_across_apps():
    found = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent)
        importer = ".".join(rel.with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dangbo."):
                if _app_of(node.module) == _app_of(importer):
                    continue
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{rel}:{node.lineno} imports {node.module}.{alias.name}")
    assert not found, "private names imported across apps:\n" + "\n".join(found)
