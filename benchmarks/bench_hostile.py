"""Hostile and careless inputs, each run as a whole command: time and peak memory.

    python benchmarks/bench_hostile.py [--codes 100000] [--repeat 3] [--keep DIR] [--only NAME]

Each case builds its input in a temporary folder and runs `qualcode` on it as a child process;
most are meant to fail (the exit status is checked too). Goal: none over 500 MB or 10 s, and the
import of 100,000 same-named codes under 10 s.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE

GOAL_SECONDS, GOAL_MB = 10.0, 500.0
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run_measured(args: list[str], cwd: Path, expect: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run, in a fresh child; the exit status is checked."""
    started = time.perf_counter()
    child = os.fork()
    if child == 0:
        os.chdir(cwd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execvp(args[0], args)
    _, status, usage = os.wait4(child, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != expect:
        raise SystemExit(f"exit {code}, expected {expect}: {' '.join(args)}")
    return seconds, usage.ru_maxrss / 1024


def qualcode(folder: Path, *args: str) -> None:
    subprocess.run([*QUALCODE, "-p", "study", *args], cwd=folder, check=True, capture_output=True)


def word_package(document_xml: bytes) -> bytes:
    """A Word package as python-docx writes it, with `document_xml` as its body."""
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, document_xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


def document(body: bytes) -> bytes:
    return f'<w:document xmlns:w="{WORD_NS}"><w:body>'.encode() + body + b"</w:body></w:document>"


# -- the cases: each builds its input in `folder` and returns (command, expected exit status) ----


def docx_bomb(folder: Path, _: argparse.Namespace) -> tuple[list[str], int]:
    """A 3 MB .docx whose document.xml would expand to 3 GB."""
    path = folder / "bomb.docx"
    chunk = b"<w:p><w:r><w:t>" + b"a" * (1024**2) + b"</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        base = zipfile.ZipFile(io.BytesIO(word_package(document(b""))))
        for info in base.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, base.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{WORD_NS}"><w:body>'.encode())
            for _ in range(3 * 1024):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    path.write_bytes(buffer.getvalue())
    return ["transcript", "import", str(path)], 1


def docx_dense(folder: Path, _: argparse.Namespace) -> tuple[list[str], int]:
    """A small .docx of millions of empty paragraphs: slow and large for any XML parser."""
    path = folder / "dense.docx"
    path.write_bytes(word_package(document(b"<w:p/>" * 5_000_000)))
    return ["transcript", "import", str(path)], 1


def docx_dense_within_limit(folder: Path, _: argparse.Namespace) -> tuple[list[str], int]:
    """As many paragraphs as the limit lets through, a speaker turn in each."""
    from qualcode.text.importers.docx_container import MAX_PARAGRAPHS

    paragraph = b"<w:p><w:r><w:t>P1: yes</w:t></w:r></w:p>"
    path = folder / "dense-ok.docx"
    path.write_bytes(word_package(document(paragraph * (MAX_PARAGRAPHS - 10))))
    return ["transcript", "import", str(path)], 0


def dev_zero(folder: Path, _: argparse.Namespace) -> tuple[list[str], int]:
    return ["transcript", "import", "/dev/zero"], 1


def fifo(folder: Path, _: argparse.Namespace) -> tuple[list[str], int]:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return ["transcript", "import", str(path)], 1


def same_named_codes(folder: Path, options: argparse.Namespace) -> tuple[list[str], int]:
    """A REFI-QDA codebook of N codes all called 'Theme', each with its own description and GUID."""
    path = folder / "codes.qdc"
    codes = "".join(
        f'<Code guid="{uuid.uuid4()}" name="Theme" isCodable="true"><Description>variant {i}</Description></Code>'
        for i in range(options.codes)
    )
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="bench">'
        f"<Codes>{codes}</Codes></CodeBook>",
        encoding="utf-8",
    )
    return ["import", "qdc", str(path)], 0


def nested_codes(folder: Path, _: argparse.Namespace) -> tuple[list[str], int]:
    """A codebook whose codes nest 5,000 deep."""
    path = folder / "deep.qdc"
    depth = 5000
    opening = "".join(f'<Code guid="{uuid.uuid4()}" name="level {i}" isCodable="true">' for i in range(depth))
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        f"<Codes>{opening}{'</Code>' * depth}</Codes></CodeBook>",
        encoding="utf-8",
    )
    return ["import", "qdc", str(path)], 1


def long_line(folder: Path, _: argparse.Namespace) -> tuple[list[str], int]:
    """`transcript show` of a transcript that is one 10 MB line."""
    path = folder / "P1.txt"
    path.write_text("P1: " + "word " * (2 * 1024**2) + "\n", encoding="utf-8")
    qualcode(folder, "transcript", "import", str(path))
    return ["transcript", "show", "P1"], 0


def codes_100k_list(folder: Path, options: argparse.Namespace) -> tuple[list[str], int]:
    _many_codes(folder, options)
    return ["code", "list"], 0


def codes_100k_codebook(folder: Path, options: argparse.Namespace) -> tuple[list[str], int]:
    _many_codes(folder, options)
    return ["export", "codebook", "--format", "csv", "--out", str(folder / "codebook.csv")], 0


def undo_large_import(folder: Path, options: argparse.Namespace) -> tuple[list[str], int]:
    _many_codes(folder, options)
    return ["undo"], 0


def _many_codes(folder: Path, options: argparse.Namespace) -> None:
    path = folder / "many.qdc"
    codes = "".join(f'<Code guid="{uuid.uuid4()}" name="code {i}" isCodable="true"/>' for i in range(options.codes))
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>',
        encoding="utf-8",
    )
    qualcode(folder, "import", "qdc", str(path))


CASES: dict[str, Callable[[Path, argparse.Namespace], tuple[list[str], int]]] = {
    "docx expanding to 3 GB (refused)": docx_bomb,
    "docx of 5 million empty paragraphs (refused)": docx_dense,
    "docx at the paragraph limit, 50,000 turns": docx_dense_within_limit,
    "/dev/zero as a transcript (refused)": dev_zero,
    "a FIFO as a transcript (refused)": fifo,
    "import qdc: {codes:,} codes named alike": same_named_codes,
    "import qdc: codes nested 5,000 deep (refused)": nested_codes,
    "transcript show: one 10 MB line": long_line,
    "code list: {codes:,} codes": codes_100k_list,
    "export codebook: {codes:,} codes": codes_100k_codebook,
    "undo an import of {codes:,} codes": undo_large_import,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="Run only the cases whose label contains this.")
    parser.add_argument("--keep", type=Path, help="Build in this folder and keep it.")
    options = parser.parse_args()
    print(f"{'case':52} {'median s':>9} {'peak MB':>8}  within goal")
    for label, build in CASES.items():
        label = label.format(codes=options.codes)
        if options.only and options.only not in label:
            continue
        times, peaks = [], []
        for _ in range(options.repeat):
            folder = Path(tempfile.mkdtemp(prefix="qualcode-hostile-", dir=options.keep))
            try:
                subprocess.run(
                    [*QUALCODE, "init", "study", "--analyst", "Maya"], cwd=folder, check=True, capture_output=True
                )
                args, expect = build(folder, options)
                seconds, peak = run_measured([*QUALCODE, "-p", "study", *args], folder, expect)
                times.append(seconds)
                peaks.append(peak)
            finally:
                if options.keep is None:
                    shutil.rmtree(folder, ignore_errors=True)
        median, peak = statistics.median(times), max(peaks)
        ok = "yes" if median <= GOAL_SECONDS and peak <= GOAL_MB else "NO"
        print(f"{label:52} {median:9.2f} {peak:8.0f}  {ok}", flush=True)


if __name__ == "__main__":
    main()
