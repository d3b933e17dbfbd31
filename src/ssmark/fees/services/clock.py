"""The modules of this package ask `clock.today()`: it is the one clock, ssmark.core.clock
(Asia/Tokyo; tests set it with the `freeze_today` fixture)."""

from __future__ import annotations

from ssmark.core.clock import today

__all__ = ["today"]
