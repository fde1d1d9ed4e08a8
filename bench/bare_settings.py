"""Shequ's settings with ``bench.bare_site``'s URLs (Shequ's own and the two bare
endpoints beside them), for ``bench_http``."""

from shequ.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_site"
