"""The people tests use the suite's shared fixtures (root conftest): personas and
``make_resident``; ``new_id_number`` makes a fresh valid ID number."""

from conftest import MakeResident, new_id_number

__all__ = ["MakeResident", "new_id_number"]
