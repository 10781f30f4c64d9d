"""The dependency locks: every package at an exact version, with hashes, as ./run installs them."""

import re

import pytest

from rumo.settings import BASE_DIR

NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path) -> dict[str, str]:
    """Return {name: requirement} of a pip requirements file, continuation lines joined."""
    text = (BASE_DIR / path).read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip() if not line.lstrip().startswith("--hash") else line
        if line and not line.startswith("-"):
            found[normalized(NAME.match(line).group(1))] = line
    return found


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_every_locked_package_has_an_exact_version_and_hashes(lock):
    locked = requirements(lock)

    assert len(locked) > 20
    for name, line in locked.items():
        assert re.search(rf"^{NAME.pattern[1:]}==[^=*\s;]+[\s;]", line + " "), line
        assert "--hash=sha256:" in line, name


@pytest.mark.parametrize(
    ("source", "lock"),
    [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")],
)
def test_every_direct_dependency_is_in_its_lock(source, lock):
    assert set(requirements(source)) <= set(requirements(lock))


def test_run_installs_only_from_the_lock_with_hashes_checked():
    script = (BASE_DIR / "run").read_text()

    installs = [line for line in script.splitlines() if "-m pip install" in line]
    assert installs and all("--require-hashes" in line for line in installs)
    assert "-r requirements-dev.txt" in script
