"""Today's date for the modules of this package.

They all ask `ssmark.fees.services.local_today()` at each call, so replacing that one function
(the tests pin the date so) changes the date in every module of the package.
"""

from __future__ import annotations

import datetime


def today() -> datetime.date:
    from ssmark.fees import services  # the package: its attribute as it is now

    return services.local_today()
