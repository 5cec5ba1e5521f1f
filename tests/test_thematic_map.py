"""The thematic map: the graph, its file formats read back by other tools' parsers, snapshots, bad
output paths, and a drawing check that no two labels overlap."""

from __future__ import annotations

import itertools
import json
import math
import random
import warnings
from xml.etree import ElementTree

import networkx as nx
import pytest
from helpers import write

from qualcode.analysis.coding import PALETTE, add_code, apply_codes
from qualcode.analysis.thematic_map import (
    build_graph,
    filter_graph,
    full_graph,
    list_snapshots,
    take_snapshot,
    write_map,
)
from qualcode.analysis.theme_overview import theme_tree
from qualcode.analysis.themes import add_theme, assign_codes, link_themes, rename_theme, set_theme_status
from qualcode.errors import InvalidInput, NotFound
from qualcode.exporters import map_fonts
from qualcode.exporters.map_drawing import FONTS, draw_figure
from qualcode.exporters.map_fonts import MissingGlyphsWarning
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P1 = """Interviewer: What was your first year like?
P1: I felt anxious before every session. Supervision helped me stay calm.
"""
P2 = """Interviewer: What was your first year like?
P2: I was frightened of the clients' distress. My supervisor said not knowing is part of the work.
"""


@pytest.fixture
def study(tmp_path, project):
    import_transcripts(project, [write(tmp_path / "P1.txt", P1), write(tmp_path / "P2.txt", P2)], "Maya")
    for name, color in (
        ("Anxiety", "#D55E00"),
        ("Client distress", "#D55E00"),
        ("Support", "#0072B2"),
        ("Not knowing", "#0072B2"),
    ):
        add_code(project, "Maya", name, color=color)
    for codes, transcript, phrase in (
        (["Anxiety"], "P1", "I felt anxious before every session."),
        (["Anxiety", "Client distress"], "P2", "I was frightened of the clients' distress."),
        (["Support"], "P1", "Supervision helped me stay calm."),
        (["Not knowing"], "P2", "My supervisor said not knowing is part of the work."),
    ):
        apply_codes(project, "Maya", codes, transcript, locations=[Location(match=phrase)])
    add_theme(project, "Maya", 'Anxiety as "co-created"', codes=["Anxiety", "Client distress"])
    add_theme(project, "Maya", "Supervision as holding", codes=["Support"])
    add_theme(project, "Maya", "Permission not to know", parent="Supervision as holding", codes=["Not knowing"])
    add_theme(project, "Maya", "Learning the craft")
    link_themes(project, "Maya", "Supervision as holding", 'Anxiety as "co-created"', "contains")
    set_theme_status(project, "Maya", "Supervision as holding", "final")
    set_theme_status(project, "Maya", "Learning the craft", "discarded")
    return project


def labels(graph: nx.DiGraph, kind: str) -> set[str]:
    return {d["label"] for _, d in graph.nodes(data=True) if d["kind"] == kind}


def test_graph_runs_from_project_to_themes_subthemes_and_codes(study):
    graph = build_graph(study, "candidate", include_codes=True)
    assert labels(graph, "theme") == {'Anxiety as "co-created"', "Supervision as holding"}
    assert labels(graph, "subtheme") == {"Permission not to know"}
    assert labels(graph, "code") == {"Anxiety", "Client distress", "Support", "Not knowing"}
    by_label = {d["label"]: n for n, d in graph.nodes(data=True)}
    supervision, anxiety = by_label["Supervision as holding"], by_label['Anxiety as "co-created"']
    assert graph.edges["project", supervision]["kind"] == "theme"
    assert graph.edges[supervision, by_label["Permission not to know"]]["kind"] == "subtheme"
    assert graph.edges[supervision, anxiety] == {"kind": "link", "label": "contains"}
    # Weights agree with the theme list: the shared P2 passage counts once for Anxiety.
    tree = {t["name"]: t for t in theme_tree(study)}
    assert graph.nodes[anxiety]["extracts"] == tree['Anxiety as "co-created"']["extracts"] == 2
    assert graph.nodes[supervision]["extracts"] == 2 and graph.nodes[supervision]["participants"] == 2
    # Colours follow the codebook: each theme's codes share one colour.
    assert graph.nodes[anxiety]["color"] == "#D55E00" and graph.nodes[supervision]["color"] == "#0072B2"


def test_status_filters(study):
    assert labels(build_graph(study, "final"), "theme") == {"Supervision as holding"}
    assert labels(build_graph(study, "final"), "subtheme") == set()  # candidate subtheme of a final theme
    assert "Learning the craft" not in labels(build_graph(study, "candidate"), "theme")
    assert "Learning the craft" in labels(build_graph(study, "all"), "theme")
    assert labels(build_graph(study, "candidate"), "code") == set()
    with pytest.raises(InvalidInput, match="unknown status filter"):
        build_graph(study, "finished")


def test_graphml_and_gexf_open_in_other_tools(study, tmp_path):
    graphml = nx.read_graphml(
        write_map(study, tmp_path / "maps" / "map.graphml", "graphml", status="candidate", include_codes=True)
    )
    by_label = {d["label"]: (n, d) for n, d in graphml.nodes(data=True)}
    supervision, data = by_label["Supervision as holding"]
    assert data["kind"] == "theme" and data["status"] == "final" and data["extracts"] == 2
    anxiety = by_label['Anxiety as "co-created"'][0]
    assert graphml.edges[supervision, anxiety]["label"] == "contains"
    assert graphml.has_edge(supervision, by_label["Not knowing"][0]) is False  # codes hang from their subtheme
    gexf = nx.read_gexf(write_map(study, tmp_path / "map.gexf", "gexf", status="candidate"))
    assert {d["label"] for _, d in gexf.nodes(data=True)} == {
        "study",
        'Anxiety as "co-created"',
        "Supervision as holding",
        "Permission not to know",
    }


def test_mermaid_pastes_into_markdown(study, run):
    out = run("map", "--format", "mermaid", "--out", "-").output
    lines = out.splitlines()
    assert lines[0] == "flowchart TD"
    assert '    theme_1["Anxiety as #quot;co-created#quot;"]' in lines
    assert '    theme_2 -.->|"contains"| theme_1' in lines
    assert "    theme_2 --> theme_3" in lines
    assert not any("Learning the craft" in line for line in lines)


def test_json_and_dot(study, run):
    data = json.loads(run("map", "--format", "json", "--out", "-", "--include", "codes").output)
    graph = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
    expected = build_graph(study, "candidate", include_codes=True)
    assert set(graph.nodes) == set(expected.nodes) and set(graph.edges) == set(expected.edges)
    dot = run("map", "--format", "dot", "--out", "-").output
    assert dot.startswith('digraph "study" {')
    assert '"theme:2" -> "theme:1" [label="contains", style=dashed, constraint=false];' in dot
    assert '[label="Anxiety as \\"co-created\\""' in dot


def test_mermaid_and_dot_escape_names_as_analysts_type_them(study, run):
    rename_theme(study, "Maya", 'Anxiety as "co-created"', 'Anxiety: "co-created" (P6\'s view)')
    link_themes(study, "Maya", "Supervision as holding", 'Anxiety: "co-created" (P6\'s view)', 'holds: "it" (mostly)')
    lines = run("map", "--format", "mermaid", "--out", "-", "--status", "all").output.splitlines()
    assert '    theme_1["Anxiety: #quot;co-created#quot; (P6\'s view)"]' in lines
    assert '    theme_2 -.->|"holds: #quot;it#quot; (mostly)"| theme_1' in lines
    # A discarded theme says so and is drawn grey and dotted, as on the drawn map.
    assert '    theme_4["Learning the craft (discarded)"]' in lines
    assert "    style theme_4 fill:#f2f2f2,stroke:#999999,color:#777777,stroke-dasharray:2 2" in lines
    dot = run("map", "--format", "dot", "--out", "-", "--status", "all").output
    assert '"theme:1" [label="Anxiety: \\"co-created\\"\\n(P6\'s view)"' in dot  # quoted, wrapped between words
    assert (
        '"theme:4" [label="Learning the craft\\n(discarded)", fillcolor="#f2f2f2", color="#999999", fontcolor="#777777", style="rounded,filled,dotted"]'
        in dot
    )


def test_a_filtered_map_keeps_the_graphs_order(study, run):
    graph = nx.DiGraph()
    graph.add_node("project", kind="project", label="study")
    for i in range(1, 11):
        graph.add_node(f"theme:{i}", kind="theme", label=f"T{i}", status="candidate")
        graph.add_edge("project", f"theme:{i}", kind="theme")
        for k in range(5):
            graph.add_node(f"code:{i}-{k}", kind="code", label=f"C{i}-{k}")
            graph.add_edge(f"theme:{i}", f"code:{i}-{k}", kind="code")
    kept = filter_graph(graph, "candidate")  # 11 of 61 nodes: fewer than half
    assert list(kept.nodes) == ["project", *(f"theme:{i}" for i in range(1, 11))]
    assert list(kept.edges) == [("project", f"theme:{i}") for i in range(1, 11)]
    # So a snapshot of an unchanged map prints exactly as the live map does.
    take_snapshot(study, "Maya", "as it is")
    live = run("map", "--format", "mermaid", "--out", "-").output
    assert run("map", "--snapshot", "1", "--format", "mermaid", "--out", "-").output == live


def test_theme_colours_follow_the_codebook(project):
    """A theme takes the colour most of its codes share; else that of the codebook family most
    of its codes come from (parent codes shaded from one colour); else a palette colour."""
    add_code(project, "Maya", "Anxiety in the room", color="#F28E2B")
    for name, shade in (
        ("Anxiety as relational", "#F5A65B"),
        ("Therapist anxiety", "#D9731A"),
        ("Felt sense", "#FFD9B0"),
    ):
        add_code(project, "Maya", name, parent="Anxiety in the room", color=shade)
    add_code(project, "Maya", "Rupture", color="#E15759")
    add_code(project, "Maya", "Withdrawal", parent="Rupture", color="#E97F80")
    add_code(project, "Maya", "Humour", color="#59A14F")
    add_code(project, "Maya", "Silence", color="#59A14F")
    add_theme(project, "Maya", "Anxiety", codes=["Anxiety as relational", "Therapist anxiety", "Humour"])
    add_theme(project, "Maya", "Felt in the body", parent="Anxiety", codes=["Felt sense"])
    add_theme(project, "Maya", "Lightness", codes=["Humour", "Silence", "Withdrawal"])
    add_code(project, "Maya", "Pause", color="#111111")
    add_theme(project, "Maya", "Mixed", codes=["Withdrawal", "Humour", "Pause"])
    colors = {d["label"]: d["color"] for _, d in full_graph(project).nodes(data=True) if d["kind"] != "project"}
    assert colors["Anxiety"] == colors["Felt in the body"] == "#F28E2B"  # 3 of 4 codes from that family
    assert colors["Lightness"] == "#59A14F"  # 2 of 3 codes share the colour exactly
    # Three codes from three families: a palette colour, but not the palette's orange, which would
    # look like the codebook's orange that "Anxiety" took.
    assert PALETTE[0] == "#E69F00" and colors["Mixed"] == PALETTE[1]


def test_figures_are_written_whole_in_new_folders(study, run, tmp_path):
    assert run("map").output == "wrote exports/study-map.png\n"  # exports/PROJECT-KIND.EXT
    assert (tmp_path / "exports" / "study-map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("map", "--out", "figures/paper/map.pdf").exit_code == 0
    assert (tmp_path / "figures" / "paper" / "map.pdf").read_bytes()[:5] == b"%PDF-"
    run("map", "--out", "figures/map.svg", "--status", "all")
    assert ElementTree.parse(tmp_path / "figures" / "map.svg").getroot().tag == "{http://www.w3.org/2000/svg}svg"
    leftovers = [p.name for p in (tmp_path / "figures").rglob(".*")]
    assert leftovers == []  # no temporary files


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "tiff"], "unknown map format 'tiff'"),
        (["--out", "out/map.bmp"], "cannot tell the map format from '.bmp'"),
        (["--out", "out/map.png", "--format", "svg"], "would hold svg, not png"),
        (["--out", "-"], "png cannot go to the terminal"),
        (["--status", "finished"], "unknown status filter 'finished'"),
        (["--snapshot", "3"], "no map snapshot 3; none taken yet"),
    ],
)
def test_bad_output_is_one_line_and_writes_nothing(study, run, tmp_path, args, message):
    result = run("map", *args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "exports").exists()


def test_an_existing_folder_is_not_a_file_name(study, tmp_path):
    (tmp_path / "figures").mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        write_map(study, tmp_path / "figures", "png")


def test_final_map_with_no_final_themes(project, run):
    add_theme(project, "Maya", "Only a candidate")
    result = run("map", "--status", "final")
    assert result.exit_code == 1 and "no final themes to draw yet" in result.output


def test_snapshots_keep_the_map_as_it_was(study, run):
    taken = run("map", "snapshot", "--note", "candidate themes").output
    assert taken == "snapshot 1: 2 themes and 1 subtheme (1 final), 4 codes, 1 link\n"
    rename_theme(study, "Maya", "Supervision as holding", "Supervision as containment")
    set_theme_status(study, "Maya", "Permission not to know", "final")
    snapshot_id = take_snapshot(study, "Maya", "after review")
    history = list_snapshots(study)
    assert [(s["id"], s["note"], s["final"], s["codes"], s["links"]) for s in history] == [
        (1, "candidate themes", 1, 4, 1),
        (snapshot_id, "after review", 2, 4, 1),
    ]
    old = json.loads(run("map", "--snapshot", "1", "--format", "json", "--out", "-").output)
    assert "Supervision as holding" in {n["label"] for n in old["nodes"]}
    assert run("map", "--snapshot", "1", "--status", "final", "--out", "old.png").exit_code == 0
    lines = run("map", "history", env={"COLUMNS": "80"}).output.splitlines()
    assert [line[:3] for line in lines[::3]] == ["  1", "  2"]
    assert lines[0].endswith("Maya, phase 1")
    assert lines[1:3] == ["     2 themes and 1 subtheme (1 final), 4 codes, 1 link", "     candidate themes"]
    assert lines[4:] == ["     2 themes and 1 subtheme (2 final), 4 codes, 1 link", "     after review"]
    assert study.query("SELECT count(*) AS n FROM audit_log WHERE command = 'map snapshot'") == [{"n": 2}]


def test_snapshot_needs_themes(project):
    with pytest.raises(InvalidInput, match="no themes yet"):
        take_snapshot(project, "Maya", "empty")
    with pytest.raises(NotFound):
        write_map(project, "x.png", "png", snapshot=4)


# -- the drawing ------------------------------------------------------------------------------

WORDS = [
    "anxiety",
    "client",
    "room",
    "silence",
    "supervisor",
    "shame",
    "trust",
    "technique",
    "intuition",
    "boundary",
    "home",
    "tiredness",
    "repair",
    "strain",
    "withdrawal",
    "pressure",
    "fixing",
    "fear",
    "holding",
    "permission",
    "knowing",
    "learning",
    "craft",
    "safety",
    "caring",
    "guarding",
    "noticing",
]
THEMES = [
    (
        "Anxiety as co-created in the room",
        ["Feeling the client's fear", "Pressure to fix things", "Silence as a threat"],
    ),
    ("Supervision as holding", ["Being contained", "Permission not to know", "Shame in disclosure"]),
    ("Learning the craft", ["Technique as a safety net", "Trusting intuition"]),
    ("The cost of caring", ["Taking clients home", "Compassion fatigue", "Guarding boundaries"]),
    (
        "Ruptures and repair",
        ["Noticing withdrawal", "Naming the strain", "Repair as a relationship", "Leaving it unsaid"],
    ),
    ("Identity", []),
]


def synthetic_map(path, themes=THEMES, codes=60, seed=3) -> Project:
    """6 themes, 15 subthemes and 60 codes of realistic lengths, with links and mixed statuses."""
    rng = random.Random(seed)
    project = Project.create(path, "Maya")
    names: list[str] = []
    while len(names) < codes:
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5))).capitalize()
        if name not in names:
            names.append(name)
    with project.change("Maya", "test codebook") as change:
        from qualcode.analysis.coding import insert_code

        for name in names:
            insert_code(change, name)
    leaves = []
    for theme, subthemes in themes:
        add_theme(project, "Maya", theme)
        for sub in subthemes:
            add_theme(project, "Maya", sub, parent=theme)
        leaves += subthemes or [theme]
    for i, leaf in enumerate(leaves):
        if names[i :: len(leaves)]:
            assign_codes(project, "Maya", names[i :: len(leaves)], leaf)
    top = [t for t, _ in themes]
    if len(top) >= 5:
        link_themes(project, "Maya", top[1], top[0], "contains")
        link_themes(project, "Maya", top[3], top[4], "makes harder")
        link_themes(project, "Maya", top[2], top[1], "is shaped by")
        set_theme_status(project, "Maya", top[0], "final")
        set_theme_status(project, "Maya", top[1], "reviewed")
    return project


def drawn_labels(figure):
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [
        (
            text.get_text(),
            text.get_bbox_patch().get_window_extent(renderer),
            text.get_window_extent(renderer),
            text.get_fontsize(),
        )
        for text in figure.axes[0].texts
    ]


def assert_legible(figure) -> None:
    drawn = drawn_labels(figure)
    width, height = figure.bbox.width, figure.bbox.height
    for text, box, glyphs, size in drawn:
        assert size >= min(f[0] for f in FONTS.values())
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, f"{text!r} is cut off"
        assert box.contains(glyphs.x0 + 0.5, glyphs.y0 + 0.5) and box.contains(glyphs.x1 - 0.5, glyphs.y1 - 0.5)
    for (a, box_a, _, _), (b, box_b, _, _) in itertools.combinations(drawn, 2):
        overlap_x = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_y = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{a!r} overlaps {b!r}"


@pytest.mark.parametrize("include_codes", [True, False])
def test_a_six_theme_map_has_no_overlapping_labels(tmp_path, include_codes):
    project = synthetic_map(tmp_path / "big.qualcode")
    graph = build_graph(project, "all", include_codes=include_codes)
    assert len([n for n, d in graph.nodes(data=True) if d["kind"] == "subtheme"]) == 15
    figure = draw_figure(graph)
    texts = [t.get_text().replace("\n", " ") for t in figure.axes[0].texts]
    assert (
        len(texts) == 1 + 6 + 15 + (60 if include_codes else 0) + 3 + 4
    )  # project, themes, subthemes, codes, links, legend
    for label in ("contains", "makes harder", "is shaped by", "Theme status:", "Supervision as holding"):
        assert label in texts
    assert_legible(figure)
    project.close()


def test_a_small_map_is_small_and_legible(tmp_path):
    project = synthetic_map(
        tmp_path / "small.qualcode",
        [("Anxiety", []), ("Supervision", ["Being contained", "Permission"]), ("Craft", [])],
        codes=0,
    )
    link_themes(project, "Maya", "Supervision", "Anxiety", "contains")
    small = draw_figure(build_graph(project))
    assert_legible(small)
    big = draw_figure(build_graph(synthetic_map(tmp_path / "big.qualcode"), include_codes=True))
    assert max(small.get_size_inches()) < 10 < min(big.get_size_inches())  # the figure grows with the map
    project.close()


def test_hyphenated_words_stay_whole_on_the_map(project):
    add_theme(project, "Maya", "Anxiety as a co-created relational process")
    add_theme(project, "Maya", "Supervision")  # two themes: the radial map
    texts = [t.get_text() for t in draw_figure(build_graph(project)).axes[0].texts]
    assert "Anxiety as a\nco-created\nrelational process" in texts


def only_ascii_fonts(monkeypatch):
    """Pretend every installed font has only ASCII, as on a machine without fonts for other scripts."""
    monkeypatch.setattr(map_fonts, "_characters_of", lambda path: {chr(c) for c in range(32, 127)})


def test_characters_no_font_has_are_named_once(project, monkeypatch):
    add_theme(project, "Maya", "Ängste – 身体の不安")
    only_ascii_fonts(monkeypatch)
    with pytest.warns(MissingGlyphsWarning) as caught:
        draw_figure(build_graph(project))
    assert len(caught) == 1 and caught[0].message.characters == "Ä–身体の不安"


def test_other_scripts_are_drawn_with_an_installed_font_that_has_them(project):
    families, missing = map_fonts.font_families(["身体の不安"])
    if missing:
        pytest.skip("no installed font has CJK characters")
    assert families[0] == "DejaVu Sans" and len(families) > 1
    add_theme(project, "Maya", "Ängste – 身体の不安")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_figure(build_graph(project))


def test_the_cli_notes_missing_characters_in_one_line(project, run, monkeypatch, tmp_path):
    add_theme(project, "Maya", "身体の不安")
    only_ascii_fonts(monkeypatch)
    result = run("map", "--out", "map.png")
    assert result.exit_code == 0 and (tmp_path / "map.png").exists()
    assert result.stdout == "wrote map.png\n"
    assert result.stderr.splitlines() == [
        "note: no installed font has 身 体 の 不 安: they show as empty boxes on the map;"
        " install a font that has them (for Chinese, Japanese or Korean: Noto Sans CJK)"
    ]


# -- what a new user saw on the standalone map ---------------------------------------------------


def _link_paths(figure):
    """Each link's drawn polyline in display coordinates (the arrows are the axes' patches)."""
    from matplotlib.patches import FancyArrowPatch

    axes = figure.axes[0]
    return [
        axes.transData.transform(patch._path_original.vertices)  # the curve as routed, before the head
        for patch in axes.patches
        if isinstance(patch, FancyArrowPatch)
    ]


def _segment_intersections(a, b):
    found = []
    for (p, q), (r, s) in itertools.product(itertools.pairwise(a), itertools.pairwise(b)):
        d = (q[0] - p[0]) * (s[1] - r[1]) - (q[1] - p[1]) * (s[0] - r[0])
        if abs(d) < 1e-12:
            continue
        t = ((r[0] - p[0]) * (s[1] - r[1]) - (r[1] - p[1]) * (s[0] - r[0])) / d
        u = ((r[0] - p[0]) * (q[1] - p[1]) - (r[1] - p[1]) * (q[0] - p[0])) / d
        if 0 <= t <= 1 and 0 <= u <= 1:
            found.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return found


def _demo_graph(demo_study):
    project = Project.open(demo_study[0] / "projects" / "demo.qualcode")
    try:
        return build_graph(project, "final")
    finally:
        project.close()


def test_arrows_end_on_the_target_border_at_points_of_their_own(demo_study):
    from matplotlib.patches import FancyArrowPatch

    from qualcode.exporters.map_labels import label_tree, walk

    figure = draw_figure(_demo_graph(demo_study))
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = {
        t.get_text().replace("\n", " "): t.get_bbox_patch().get_window_extent(renderer) for t in figure.axes[0].texts
    }
    arrows = [p for p in figure.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 6
    ends: dict[str, list] = {}
    for arrow in arrows:
        tip = figure.axes[0].transData.transform(arrow._path_original.vertices[-1])  # the curve's end
        # The tip lies on one box's border (within a pixel of its rectangle), not short of it.
        on = [
            name
            for name, box in boxes.items()
            if box.x0 - 1.5 <= tip[0] <= box.x1 + 1.5
            and box.y0 - 1.5 <= tip[1] <= box.y1 + 1.5
            and min(abs(tip[0] - box.x0), abs(tip[0] - box.x1), abs(tip[1] - box.y0), abs(tip[1] - box.y1)) < 1.5
        ]
        assert len(on) == 1, (tip, on)
        ends.setdefault(on[0], []).append(tip)
    into_rupture = ends["Rupture as inevitable and generative"]
    assert len(into_rupture) == 3  # the three arrows the new user saw meet at one point
    for a, b in itertools.combinations(into_rupture, 2):
        assert math.dist(a, b) > 8  # pixels apart on the border
    assert walk(label_tree(_demo_graph(demo_study)))


def test_link_labels_sit_clear_of_crossings_labels_and_boxes(demo_study):
    figure = draw_figure(_demo_graph(demo_study))
    assert_legible(figure)  # no label overlaps another label or box
    renderer = figure.canvas.get_renderer()
    paths = _link_paths(figure)
    crossings = [point for a, b in itertools.combinations(paths, 2) for point in _segment_intersections(a, b)]
    link_labels = {
        "makes safe",
        "deepens",
        "makes room for",
        "is tested through",
        "can tip into",
        "drives",
        "is deepened by",
    }
    tags = [t for t in figure.axes[0].texts if t.get_text().replace("\n", " ") in link_labels]
    assert len(tags) == 6
    for tag in tags:
        box = tag.get_bbox_patch().get_window_extent(renderer)
        assert not [p for p in crossings if box.x0 <= p[0] <= box.x1 and box.y0 <= p[1] <= box.y1], tag.get_text()


def test_a_one_theme_map_is_compact_with_the_project_on_top_and_centred(project):
    add_theme(project, "Maya", "Rupture as inevitable")
    for sub in ("Withdrawal ruptures", "Confrontation ruptures", "Repair through talk"):
        add_theme(project, "Maya", sub, parent="Rupture as inevitable")
    figure = draw_figure(build_graph(project))
    width, height = figure.get_size_inches()
    assert width <= 3.2 and height <= 2.5  # a small card, not a page
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    drawn = {t.get_text(): t.get_window_extent(renderer) for t in figure.axes[0].texts}
    assert len(drawn) == 5
    top = drawn.pop("study")
    assert all(top.y0 > box.y1 for box in drawn.values())  # the project's box sits above the rest
    assert abs((top.x0 + top.x1) / 2 - figure.bbox.width / 2) < 2  # and in the middle


def test_codes_are_drawn_in_a_tint_of_their_themes_colour(project):
    from matplotlib.colors import to_hex

    from qualcode.exporters.map_drawing import _mix

    add_code(project, "Maya", "Going quiet", color="#1f77b4")  # a colour of the codebook, not the theme's
    add_code(project, "Maya", "Speaking up", color="#2ca02c")
    add_theme(project, "Maya", "Rupture", codes=["Going quiet"])
    add_theme(project, "Maya", "Repair", codes=["Speaking up"])
    graph = build_graph(project, include_codes=True)
    theme_color = {graph.nodes[n]["label"]: graph.nodes[n]["color"] for n in graph if graph.nodes[n]["kind"] == "theme"}
    figure = draw_figure(graph)
    fills = {t.get_text(): to_hex(t.get_bbox_patch().get_facecolor()) for t in figure.axes[0].texts}
    edges = {t.get_text(): to_hex(t.get_bbox_patch().get_edgecolor()) for t in figure.axes[0].texts}
    for code, theme in (("Going quiet", "Rupture"), ("Speaking up", "Repair")):
        assert fills[code] == _mix(theme_color[theme], 0.85).lower()
        assert edges[code] == theme_color[theme].lower()
