"""The engine's public surface is exactly what its ``__all__`` lists, sorted."""

from __future__ import annotations

import pilotage.engine as engine


def test_all_is_sorted_and_complete() -> None:
    assert engine.__all__ == sorted(engine.__all__)
    public = {name for name in vars(engine) if not name.startswith("_") and name != "annotations"}
    modules = {name for name, value in vars(engine).items() if type(value).__name__ == "module"}
    assert set(engine.__all__) == public - modules
