"""The report's thematic map prints legibly: its smallest label, measured from the picture placed
in the .docx, is at least 7 pt on paper, on A4 and Letter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.image.image import Image as DocxImage
from PIL import Image

from qualcode.analysis.themes import add_theme, link_themes
from qualcode.exporters.map_drawing import SMALLEST_FONT_KEY
from qualcode.report.gather import write_report
from qualcode.store import Project

EMU_PER_POINT = 12700
WORDS = [
    "how",
    "therapists",
    "hold",
    "the",
    "relationship",
    "in",
    "view",
    "when",
    "anxiety",
    "trust",
    "rupture",
    "repair",
    "presence",
    "becomes",
    "shared",
]


def smallest_label_points(path: Path) -> tuple[float, bool]:
    """(the smallest label's printed size in points, whether the map's page is landscape)."""
    document = Document(str(path))
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    png = document.part.related_parts[blob].blob
    recorded_px = float(Image.open(io.BytesIO(png)).text[SMALLEST_FONT_KEY])
    placed_points = shape.width / EMU_PER_POINT
    section = document.sections[-1]
    return recorded_px * placed_points / DocxImage.from_blob(png).px_width, section.page_width > section.page_height


def large_project(path: Path) -> Project:
    """12 themes of 6-word names with 3 subthemes of 5 words each, and links across rows."""
    project = Project.create(path, "Maya")
    names = []
    for t in range(12):
        name = " ".join(WORDS[(t * 5 + i * 3) % len(WORDS)] for i in range(6)).capitalize() + f" {t + 1}"
        names.append(name)
        add_theme(project, "Maya", name)
        for s in range(3):
            add_theme(
                project,
                "Maya",
                " ".join(WORDS[(t * 7 + s * 4 + i) % len(WORDS)] for i in range(5)).capitalize() + f" {t + 1}.{s + 1}",
                parent=name,
            )
    for a, b, label in [(0, 1, "contains"), (3, 4, "makes harder"), (2, 9, "is shaped by"), (11, 5, "leads to")]:
        link_themes(project, "Maya", names[a], names[b], label)
    return project


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_demo_map_prints_its_smallest_label_at_7_points_or_more(demo_study, tmp_path, paper):
    import shutil

    shutil.copy(demo_study[0] / "projects" / "demo.qualcode", tmp_path / "demo.qualcode")
    demo_project = Project.open(tmp_path / "demo.qualcode")
    report = write_report(demo_project, tmp_path / "report.docx", paper=paper).path
    demo_project.close()
    points, _ = smallest_label_points(report)
    assert points >= 7.0


def test_a_large_map_prints_its_smallest_label_at_7_points_or_more(tmp_path):
    project = large_project(tmp_path / "large.qualcode")
    report = write_report(project, tmp_path / "report.docx", paper="a4").path
    points, _ = smallest_label_points(report)
    assert points >= 7.0
    project.close()
