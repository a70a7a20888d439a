"""The lock file (requirements.lock, from which `make install` installs) agrees with the pins in pyproject.toml.

Every dependency in pyproject.toml is pinned exactly (`==`), and the lock holds that same version with its hashes.
After changing a pin, run `make lock` and commit both files.
"""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
# "name==version \" followed by its "--hash=sha256:..." lines
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.MULTILINE)


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(line) for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]]
    loose = [str(r) for r in requirements if len(r.specifier) != 1 or next(iter(r.specifier)).operator != "=="]
    assert not loose, f"pin these exactly (==) in pyproject.toml: {loose}"
    return {normalised(r.name): next(iter(r.specifier)).version for r in requirements}


def locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    entries = {normalised(name): version for name, version, _ in LOCKED.findall(text)}
    listed = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.MULTILINE)
    assert len(entries) == len(listed), "every package in requirements.lock has its hashes (make lock)"
    return entries


def test_the_lock_file_holds_exactly_the_versions_pinned_in_pyproject():
    expected, actual = pins(), locked()
    differing = {name: (version, actual.get(name)) for name, version in expected.items() if actual.get(name) != version}
    assert not differing, f"pyproject.toml and requirements.lock disagree (pinned, locked): {differing}; run `make lock`"


def test_the_lock_file_locks_the_build_backend_too():
    """`make install` builds Spil without fetching anything: the setuptools that pyproject.toml asks for is locked."""
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    actual = locked()
    for requirement in map(Requirement, backend):
        assert requirement.specifier.contains(actual.get(normalised(requirement.name), "0")), f"{requirement} is not in requirements.lock"
