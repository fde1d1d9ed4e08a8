"""The background worker: a loop that polls the database (see DESIGN.md).

Each task is a plain function called once per loop; it does a bounded amount of work
and returns how many items it handled, so the loop can go straight on when busy and
sleep when idle. The tasks are listed explicitly at the project level
(``shequ/worker.py``), not registered from the apps.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType

from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone

from shequ.orgs.models import WorkerHeartbeat

log = logging.getLogger("shequ.worker")

Task = Callable[[], int]


def beat(name: str, started_at: dt.datetime) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(name=name).update(beat_at=now, loops=F("loops") + 1)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            name=name, defaults={"started_at": started_at, "beat_at": now, "loops": 1}
        )


class Worker:
    def __init__(self, tasks: list[Task], poll_seconds: float, name: str | None = None) -> None:
        self.tasks = tasks
        self.poll_seconds = poll_seconds
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = threading.Event()

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        log.info("worker %s stopping", self.name)
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run_once(self) -> int:
        handled = 0
        for task in self.tasks:
            try:
                handled += task()
            except Exception:
                log.exception("task %s failed", getattr(task, "__name__", task))
        return handled

    def run(self, max_loops: int | None = None, until_idle: bool = False) -> None:
        """Loop until stopped, ``max_loops`` loops, or (``until_idle``) the first loop
        that finds nothing to do."""
        started_at = timezone.now()
        loops = 0
        log.info("worker %s started", self.name)
        while not self.stopping.is_set():
            close_old_connections()
            try:
                beat(self.name, started_at)
            except Exception:
                log.exception("heartbeat failed")
            handled = self.run_once()
            loops += 1
            if max_loops is not None and loops >= max_loops:
                break
            if not handled:
                if until_idle:
                    break
                self.stopping.wait(self.poll_seconds)
        WorkerHeartbeat.objects.filter(name=self.name).delete()
        log.info("worker %s stopped after %d loops", self.name, loops)
