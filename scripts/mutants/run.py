#!/usr/bin/env python3
"""Mutation testing of the platform's core modules with mutmut (`make mutants`).

    run.py                        every target below, one after another
    run.py program/versioning.py  one target, by a file it mutates or by its name
    run.py versioning --mutant 'program.versioning.x__readable*'
                                  test these mutants again, keeping the target's
                                  earlier run (after adding a test)
    run.py --table                the results of the runs kept in var/mutants/

Each target is mutated on its own, with its own tests, in var/mutants/<name>/:
a pyproject.toml whose [tool.mutmut] section names the target's files
(only_mutate) and tests, beside links to the project. mutmut copies that into
var/mutants/<name>/mutants/ and runs each mutant's covering tests there.
scripts/mutants/pytest_plugin.py lets every run start from one seeded test
database instead of seeding the demo again. The results of a run are in
var/mutants/<name>/summary.json and survivors.diff; docs/TESTING.md records them.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "mutants"
MUTMUT = Path(sys.executable).parent / "mutmut"
DOMAIN_APPS = ["pendampingan", "lokakarya", "pmo", "komunitas", "reports"]
# The URL names of tests/test_url_access.py the access-domains target runs,
# as pytest -k words (a test id holds "[name[role]]" or "[name-role]"; a word
# matches a part of it, so "[pmo:sekolah" leaves pmo:sekolah-… out).
DOMAIN_SAMPLE = [
    # pendampingan: a session (seen, its content, planned), the PP's notes,
    # coaching (a school's notes, a new session, one session read and
    # edited), the trash of RTL and documentation.
    "[pendampingan:sesi[",
    "[pendampingan:sesi-",
    "pendampingan:sesi-read",
    "pendampingan:sesi-schedule",
    "pendampingan:pemantauan-edit",
    "pendampingan:catatan-detail",
    "pendampingan:coaching-sekolah",
    "pendampingan:coaching-create",
    "pendampingan:coaching-detail",
    "pendampingan:coaching-edit",
    "pendampingan:rtl-restore",
    "pendampingan:dokumentasi-restore",
    # lokakarya: opened, run (edited), its products and their trash.
    "lokakarya:detail",
    "lokakarya:edit",
    "lokakarya:produk",
    # pmo: read, filled in, reviewed, follow-ups, trash.
    "pmo:instrumen",
    "pmo:umpan-balik",
    "pmo:tindak-lanjut",
    "pmo:akar-masalah-restore",
    "[pmo:sekolah",
    # komunitas: read, edited, written by members, reviewed, the stages.
    "komunitas:detail",
    "komunitas:edit",
    "komunitas:praktik-create",
    "komunitas:pedoman-umpan-balik",
    "[komunitas:tahap[",
    "[komunitas:tahap-",
    "komunitas:tahap-save",
]

# name: (files to mutate, glob patterns allowed; the tests that cover them).
# A test file added to kill a survivor matches its target's pattern
# (tests/program/test_versioning_mutants.py, …).
TARGETS = {
    "versioning": (
        ["program/versioning.py"],
        # test_pi.py holds the journal's no-JS conflict page (saved step answers).
        [
            "tests/program/test_versioning*.py",
            "tests/test_conflicts.py",
            "tests/pendampingan/test_pi.py",
        ],
    ),
    "uploads": (
        ["program/uploads.py"],
        ["tests/program/test_uploads*.py"],
    ),
    # The URL x role matrix has 5,000 cases; the platform's own pages (about
    # 300) are the ones that read these primitives directly.
    "access": (
        ["program/access.py"],
        ["tests/program/test_access*.py", "tests/test_url_access.py", "-kprogram"],
    ),
    # Of the matrix, a sample of URLs: for every scope these modules define,
    # one or two pages whose view reads it, each with every case the matrix
    # has for it (every role, the first region's object and the second
    # region's, the second cohort's, POSTs out of scope); about 1,300 of
    # 5,000 cases (docs/TESTING.md says why these).
    "access-domains": (
        [f"{app}/access.py" for app in DOMAIN_APPS],
        [
            "tests/program/test_access*.py",
            "tests/*/test_access.py",
            "tests/*/test_access_*.py",
            "tests/test_url_access.py",
            "-knot test_url_access or " + " or ".join(DOMAIN_SAMPLE),
        ],
    ),
    "jobs": (
        ["program/jobs.py"],
        ["tests/program/test_jobs*.py"],
    ),
    "imports": (
        ["program/imports/*.py", "program/spreadsheet.py", "lokakarya/resources.py"],
        [
            "tests/program/test_impor*.py",
            "tests/program/test_spreadsheet.py",
            "tests/test_fuzz_imports.py",
            "tests/lokakarya/test_nilai_produk_laporan.py",
            "tests/lokakarya/test_impor*.py",
        ],
    ),
    "exports": (
        ["reports/exports.py", "reports/resources.py", "pmo/exports.py"],
        ["tests/reports/test_exports*.py", "tests/pmo/test_wilayah.py"],
    ),
}

# What the copy needs besides the mutated packages (pyproject.toml's
# [tool.mutmut] source_paths and also_copy say what mutmut copies).
LINKS = [
    "config",
    "program",
    *DOMAIN_APPS,
    "templates",
    "static",
    "fixtures",
    "scripts",
    "tests",
    "manage.py",
]


def target_names(wanted: list[str]) -> list[str]:
    if not wanted:
        return list(TARGETS)
    names = []
    for w in wanted:
        found = [
            name
            for name, (files, _) in TARGETS.items()
            if w == name or any(fnmatch(w, f) for f in files)
        ]
        if not found:
            sys.exit(f"unknown target {w!r}: one of {', '.join(TARGETS)} or a file they mutate")
        names += [n for n in found if n not in names]
    return names


def tests_of(patterns: list[str]) -> list[str]:
    """The test files the patterns match; options (`-k…`) pass through."""
    files = {str(p.relative_to(ROOT)) for pat in patterns for p in ROOT.glob(pat)}
    return sorted(files) + [pat for pat in patterns if pat.startswith("-")]


def prepare(name: str, keep: bool) -> Path:
    work = WORK / name
    if work.exists() and not keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for entry in LINKS:
        link = work / entry
        if not link.is_symlink():
            link.symlink_to(ROOT / entry)
    files, tests = TARGETS[name]
    section = "[tool.mutmut]\n"
    text = (ROOT / "pyproject.toml").read_text()
    if section not in text:
        sys.exit("pyproject.toml has no [tool.mutmut] section")
    ours = (
        f"only_mutate = {json.dumps(files)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests_of(tests))}\n"
    )
    (work / "pyproject.toml").write_text(text.replace(section, section + ours, 1))
    return work


def mutmut(work: Path, *args: str) -> str:
    return subprocess.run(  # noqa: S603 (our own mutmut, our arguments)
        [MUTMUT, *args], cwd=work, capture_output=True, text=True, check=True
    ).stdout


def statuses(work: Path) -> dict[str, str]:
    """Every mutant of the target with mutmut's verdict (killed, survived, …)."""
    found = {}
    for line in mutmut(work, "results", "--all", "true").splitlines():
        key, _, status = line.strip().rpartition(": ")
        if key:
            found[key] = status
    return found


def run(name: str, max_children: int, mutants: list[str]) -> dict:
    work = prepare(name, keep=bool(mutants))
    earlier = work / "summary.json"
    before = json.loads(earlier.read_text()) if mutants and earlier.exists() else None
    env = dict(os.environ, MUTANTS_CACHE=str(work / "cache"))
    print(f"== {name}: {', '.join(TARGETS[name][0])}", flush=True)
    started = time.monotonic()
    cmd = [MUTMUT, "run", "--max-children", str(max_children), *mutants]
    code = subprocess.run(cmd, cwd=work, env=env).returncode  # noqa: S603
    seconds = round(time.monotonic() - started)
    if code != 0:
        print(f"mutmut run failed for {name} (exit {code}); see above", file=sys.stderr)
    status = statuses(work)
    if before:
        # A re-test: the named mutants have new verdicts (a changed test
        # selection makes mutmut forget the others), the rest keep theirs.
        fresh = {k: v for k, v in status.items() if v != "not checked"}
        status = {**before["status"], **fresh}
        seconds = before["seconds"]
    survivors = sorted(k for k, v in status.items() if v not in ("killed", "timeout"))
    with open(work / "survivors.diff", "w") as diff:
        for key in survivors:
            diff.write(f"# {status[key]}\n" + mutmut(work, "show", key) + "\n")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    summary = {
        "name": name,
        "files": TARGETS[name][0],
        "date": time.strftime("%Y-%m-%d"),
        "commit": commit,
        "seconds": seconds,
        "survivors": [f"{k}: {status[k]}" for k in survivors],
        "status": status,
    }
    earlier.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(table([summary]))
    for line in summary["survivors"]:
        print("  survivor", line)
    return summary


def counts(s: dict) -> dict[str, int]:
    c = Counter(s["status"].values())
    return {
        "total": len(s["status"]),
        "killed": c["killed"],
        "timeout": c["timeout"],
        "survived": c["survived"] + c["suspicious"] + c["segfault"] + c["not checked"],
        "no tests": c["no tests"],
        "skipped": c["skipped"],
    }


def kill_rate(c: dict[str, int]) -> str:
    tested = c["total"] - c["skipped"]
    return f"{100 * (c['killed'] + c['timeout']) / tested:.1f} %" if tested else "–"


def table(summaries: list[dict]) -> str:
    lines = [
        "| target | files | mutants | killed | timeout | survived | no tests | kill rate | time |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in summaries:
        c = counts(s)
        files = ", ".join(f"`{f}`" for f in s["files"] if "*" not in f)
        minutes = f"{s['seconds'] // 60} min {s['seconds'] % 60:02d} s"
        lines.append(
            f"| {s['name']} | {files} | {c['total']} | {c['killed']} | {c['timeout']} "
            f"| {c['survived']} | {c['no tests']} | {kill_rate(c)} | {minutes} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="target names or files (default: all)")
    parser.add_argument("--max-children", type=int, default=1, help="mutants tested at once")
    parser.add_argument("--mutant", action="append", default=[], help="mutant name or glob")
    parser.add_argument("--table", action="store_true", help="print the kept results")
    args = parser.parse_args()
    names = target_names(args.targets)
    if args.table:
        kept = [WORK / n / "summary.json" for n in names]
        print(table([json.loads(p.read_text()) for p in kept if p.exists()]))
        return
    if args.mutant and len(names) != 1:
        sys.exit("--mutant needs exactly one target")
    for name in names:
        run(name, args.max_children, args.mutant)


if __name__ == "__main__":
    main()
