"""The small coded study in helpers.py has the counts the report and table tests rely on."""

from __future__ import annotations

from helpers import ANXIETY_THEME, QUIET, RUPTURE_THEME, TALKING, study_project


def test_the_study_has_the_counts_the_report_tests_rely_on(tmp_path):
    from qualcode.analysis.theme_overview import theme_tree

    project = study_project(tmp_path)
    themes = {t["name"]: t for t in theme_tree(project)}
    # Rupture: P6 withdrawal (coded by Maya and Tom: one passage), P2 withdrawal, two repairs and
    # the interviewer's question in P2 = 5 passages from P6 and P2.
    assert (themes[RUPTURE_THEME]["extracts"], themes[RUPTURE_THEME]["participants"]) == (5, 2)
    assert (themes[ANXIETY_THEME]["extracts"], themes[ANXIETY_THEME]["participants"]) == (1, 1)
    assert [s["name"] for s in themes[RUPTURE_THEME]["subthemes"]] == [QUIET, TALKING]
    project.close()
