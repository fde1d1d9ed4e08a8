"""The files other apps keep for a case, listed on the case page.

A village matter's scanned materials, the signed authorisation an agency case rests on,
an online request's photos: their apps are channel clients of services, which imports
none of them. Each registers (in its ``AppConfig.ready``) a function that lists, for a
case and a user, the files that user may open; each file is served by its own app's
access-checked view, which the link points to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from shequ.orgs.access import AnyUser
from shequ.services.models import Case


@dataclass(frozen=True)
class CaseFile:
    label: str
    url: str


FileLister = Callable[[Case, AnyUser], Iterable[CaseFile]]
_listers: list[FileLister] = []


def register(lister: FileLister) -> FileLister:
    """Add an app's lister (once, however often ``ready`` runs)."""
    if lister not in _listers:
        _listers.append(lister)
    return lister


def files_for(case: Case, user: AnyUser) -> list[CaseFile]:
    """The files of ``case`` that ``user`` may open, as each app lists them."""
    return [f for lister in _listers for f in lister(case, user)]
