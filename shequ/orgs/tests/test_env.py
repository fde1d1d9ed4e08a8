"""Settings helpers fail loudly on a bad value."""

from __future__ import annotations

import pytest

from shequ.lib.env import EnvError, env_bool, env_int, env_list


def test_booleans() -> None:
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "0"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(EnvError, match="X='maybe'"):
        env_bool("X", False, {"X": "maybe"})


def test_integers() -> None:
    assert env_int("N", 5, {"N": " 12 "}) == 12
    with pytest.raises(EnvError, match="whole number"):
        env_int("N", 5, {"N": "12s"})
    with pytest.raises(EnvError, match="at least 1"):
        env_int("N", 5, {"N": "0"}, minimum=1)


def test_lists() -> None:
    assert env_list("H", ["a"], {"H": "x.cn, y.cn"}) == ["x.cn", "y.cn"]
    with pytest.raises(EnvError, match="empty item"):
        env_list("H", [], {"H": "x.cn,,y.cn"})


def test_a_bad_setting_stops_the_process(tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "perhaps", "SHEQU_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DEBUG='perhaps'" in result.stderr


def test_the_secret_key_is_generated_once_into_the_data_directory(tmp_path: object) -> None:
    from pathlib import Path

    from shequ.lib.secrets import read_or_create_secret

    path = Path(str(tmp_path)) / "secret_key"
    first = read_or_create_secret(path)
    assert len(first) > 40
    assert read_or_create_secret(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
