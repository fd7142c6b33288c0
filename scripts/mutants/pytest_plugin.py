"""pytest plugin for `make mutants`: each mutant's test session starts from a
pristine copy of the seeded test database.

mutmut runs pytest once per mutant. Migrating and seeding the demo population
(tests/conftest.py's django_db_setup) takes over ten seconds each time, far
longer than the tests a mutant selects. So the first session, which runs the
unmutated code, keeps its seeded database and demo uploads in MUTANTS_CACHE;
every later session copies that database to a file of its own and runs with
--reuse-db, where seed_demo finds everything in place and writes nothing.
A mutant that corrupts data corrupts only its own copy.

The project's functools caches (program.access compiles its roles query
once per process) are emptied before every test: mutmut forks each mutant's
session from a process that already filled them with the unmutated code's
results, and its coverage run would tie the cached function to the first
test that filled the cache only.

Does nothing unless MUTANTS_CACHE is set (scripts/mutants/run.py sets it).
"""

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

CACHE = os.environ.get("MUTANTS_CACHE", "")
PROJECT = {"config", "program", "pendampingan", "lokakarya", "pmo", "komunitas", "reports"}


def _template() -> Path:
    return Path(CACHE) / "template.sqlite3"


def _template_media() -> Path:
    return Path(CACHE) / "template-media"


def _own_db() -> Path:
    return Path(CACHE) / f"test-{os.getpid()}.sqlite3"


def _unmutated() -> bool:
    # mutmut names the mutant under test here; "stats" and "" run the original code.
    return os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats")


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    if not CACHE:
        return
    from django.db import connections

    Path(CACHE).mkdir(parents=True, exist_ok=True)
    own = _own_db()
    if _template().exists():
        shutil.copyfile(_template(), own)
    else:
        own.unlink(missing_ok=True)
    connections["default"].settings_dict["TEST"]["NAME"] = str(own)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if CACHE:
        _clear_function_caches()


def _clear_function_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in PROJECT or module is None:
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                value.cache_clear()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    result = yield
    if CACHE and fixturedef.argname == "django_db_setup" and fixturedef.baseid == "tests":
        _after_seed()
    return result


def _after_seed() -> None:
    """Keep the first seeded database; later sessions take the kept uploads."""
    import tests.conftest

    if _template().exists():
        tests.conftest._demo_media = _template_media()
        return
    if not _unmutated():
        return
    partial = _template().with_suffix(".partial")
    source, target = sqlite3.connect(_own_db()), sqlite3.connect(partial)
    with source, target:
        source.backup(target)
    source.close()
    target.close()
    shutil.rmtree(_template_media(), ignore_errors=True)
    shutil.copytree(tests.conftest._demo_media, _template_media())
    partial.replace(_template())


def pytest_unconfigure(config):
    if CACHE:
        _own_db().unlink(missing_ok=True)
