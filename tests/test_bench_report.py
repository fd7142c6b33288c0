"""The writer of docs/PERFORMANCE.md (scripts/bench/report.py)."""

import json

from scripts.bench import report


def _row(**overrides):
    base = {
        "what": "Journal PDF, median",
        "command": "python scripts/bench/pdf.py",
        "size": "30 journals",
        "value": 212.5,
        "unit": "ms",
        "limit": 500,
        "ratio": 0.425,
        "ok": True,
    }
    return {**base, **overrides}


def _table_rows(markdown: str) -> list[list[str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def test_each_row_becomes_a_table_line_with_value_limit_ratio_and_result():
    rows = _table_rows(report.table([_row()]))

    assert rows == [
        [
            "1",
            "Journal PDF, median",
            "`python scripts/bench/pdf.py`",
            "30 journals",
            "212.5 ms",
            "≤ 500 ms",
            "0.42",
            "pass",
        ]
    ]


def test_a_failing_row_shows_as_fail_and_is_counted():
    rows = [_row(), _row(what="XLSX export", value=131.0, unit="s", limit=90, ok=False)]

    table = _table_rows(report.table(rows))

    assert table[1][1] == "XLSX export"
    assert table[1][-1] == "**FAIL**"
    assert table[1][4:6] == ["131 s", "≤ 90 s"]
    assert report.summary(rows).startswith("1 pass, 1 fail")


def test_a_peer_as_text_and_a_figure_without_goal():
    rows = [
        _row(value=1.18, unit="×", limit="1.3× bare WeasyPrint (150 ms)", ratio=0.91),
        _row(what="bare WeasyPrint", limit=None, ratio=None, ok=None),
    ]

    table = _table_rows(report.table(rows))

    assert table[0][4:8] == ["1.18×", "1.3× bare WeasyPrint (150 ms)", "0.91", "pass"]
    assert table[1][5:8] == ["—", "—", "info"]


def test_pipes_in_text_do_not_break_the_table():
    table = _table_rows(report.table([_row(size="a | b")]))

    assert table[0][3] == "a \\| b"


def test_missing_results_show_as_not_run_with_the_reason(tmp_path):
    (tmp_path / "pdf.json").write_text(json.dumps([_row()]))
    (tmp_path / "load.json.failed").write_text("timed out after 1200 s: wrk hung")

    rows = report.collect(tmp_path)

    by_what = {r["what"]: r for r in rows}
    assert by_what["Journal PDF, median"]["ok"] is True
    load = by_what["Page latency under load"]
    assert report.format_result(load) == "not run"
    assert "timed out" in report.format_limit(load)
    assert report.format_result(by_what["Export of the PI sessions"]) == "not run"


def test_queries_that_grow_with_the_data_fail_the_comparison(tmp_path):
    demo = [_row(what="queries pp1", value=9, unit="queries", limit=15, pages={"/a/": 9})]
    national = [_row(what="queries pp1", value=12, unit="queries", limit=15, pages={"/a/": 12})]
    (tmp_path / "queries-demo.json").write_text(json.dumps(demo))
    (tmp_path / "queries.json").write_text(json.dumps(national))

    rows = report.collect(tmp_path)

    comparison = rows[-1]
    assert comparison["ok"] is False
    assert comparison["value"] == 2  # the row's maximum and the page itself
    assert "/a/: 9 → 12" in comparison["changed"]


def test_the_generated_part_is_replaced_and_hand_written_text_kept(tmp_path):
    out = tmp_path / "PERFORMANCE.md"
    out.write_text(f"# Performance\n\nIntro.\n\n{report.BEGIN}\nold\n{report.END}\n\nNotes.\n")

    report.write(out, report.render([_row(ok=False)], {"machine": "2 CPU"}))

    text = out.read_text()
    assert "Intro." in text and "Notes." in text
    assert "old" not in text
    assert "* **machine**: 2 CPU" in text
    assert "**FAIL**" in text
