"""The package layout holds: every module sits in a layer of the one-way import contract, and the
public API is flat."""

from __future__ import annotations

import pkgutil
import tomllib
import types

import provcheck
from tests.cases import ROOT


def _layers() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in data["tool"]["importlinter"]["contracts"] if c["name"] == "one-way pipeline")
    return [name.strip() for layer in contract["layers"] for name in layer.replace(":", "|").split("|")]


def test_every_module_sits_in_a_layer() -> None:
    layers = _layers()
    found = list(pkgutil.walk_packages(provcheck.__path__, "provcheck."))
    modules = [m.name for m in found if m.name != "provcheck.__main__"]
    inside = [m for m in modules if any(m == layer or m.startswith(layer + ".") for layer in layers)]
    # a product package (text, pair, archive, clustering) is only a docstring over layered modules
    grouping = {m.name for m in found if m.ispkg and any(i.startswith(m.name + ".") for i in inside)}
    outside = [m for m in modules if m not in inside and m not in grouping]
    for package in grouping - set(inside):
        init = __import__(package, fromlist=["_"])
        code = [
            n for n, v in vars(init).items() if not n.startswith("__") and not isinstance(v, types.ModuleType)
        ]
        assert not code, f"{package}/__init__.py holds code: {code}"
    assert not outside, f"modules outside every layer: {outside}"
    assert len(modules) > 40


def test_public_api_is_flat_and_complete() -> None:
    assert sorted(provcheck.__all__) == provcheck.__all__
    for name in ("compare", "find", "check", "cluster", "Settings", "Index", "Report", "ProvcheckError"):
        assert name in provcheck.__all__ and getattr(provcheck, name) is not None
