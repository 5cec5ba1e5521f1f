"""Semantic domains for agreement: which codes are read as the values of one variable, and the
unitizing alphas over them (qualcode.agreement.domain_alpha does the statistics).

A domain is named on the command line either as a parent code, whose child codes are its values,
or as a list of two or more codes ("A,B,C"). Codes of different parents may form a domain (the
output names their parents); a code may be in one domain only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.domain_alpha import DomainResult, compare_domains
from qualcode.agreement.levels import collector_paused
from qualcode.analysis.coding import get_active_code
from qualcode.compare.codings import Corpus, choose_analysts, select_transcripts, spans_by_analyst
from qualcode.errors import InvalidInput
from qualcode.names import natural_key
from qualcode.store import Project
from qualcode.wording import counted


@dataclass(frozen=True)
class Domain:
    name: str
    codes: tuple[str, ...]
    parents: dict[str, str | None]  # code -> its parent's name (None at the top level)

    @property
    def mixed_parents(self) -> bool:
        return len(set(self.parents.values())) > 1

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "codes": list(self.codes), "parents": dict(self.parents)}


def resolve_domains(project: Project, specs: Sequence[str]) -> list[Domain]:
    """Each --domain value: a parent code (its children) or a comma-separated list of codes."""
    domains = []
    owner: dict[str, str] = {}
    for spec in specs:
        names = [name.strip() for name in spec.split(",") if name.strip()]
        if not names:
            raise InvalidInput('--domain names no code; give a parent code or a list, e.g. --domain "A,B,C"')
        if len(names) == 1:
            parent = get_active_code(project, names[0])
            children = [
                row[0]
                for row in project.db.execute(
                    "SELECT name FROM codes WHERE parent_id = ? AND status = 'active'", [parent.id]
                )
            ]
            if len(children) < 2:
                raise InvalidInput(
                    f"--domain {parent.name} names one code with {counted(len(children), 'subcode')}; a semantic domain "
                    f'needs two or more codes: name a parent code with subcodes, or list codes, e.g. --domain "A,B"'
                )
            name, codes = parent.name, sorted(children, key=natural_key)
        else:
            codes = list(dict.fromkeys(get_active_code(project, n).name for n in names))
            if len(codes) < 2:
                raise InvalidInput(f"--domain {spec!r} names one code twice; a semantic domain needs two or more codes")
            name = ", ".join(codes)
        for code in codes:
            if code in owner:
                raise InvalidInput(
                    f"code {code} is in two domains ({owner[code]} and {name}); each code may be in one domain only"
                )
            owner[code] = name
        domains.append(Domain(name, tuple(codes), _parents(project, codes)))
    return domains


def _parents(project: Project, codes: Sequence[str]) -> dict[str, str | None]:
    parents: dict[str, str | None] = {}
    for code in codes:
        row = project.db.execute(
            "SELECT p.name FROM codes c LEFT JOIN codes p ON p.id = c.parent_id WHERE c.name = ?", [code]
        ).fetchone()
        parents[code] = row[0] if row else None
    return parents


@dataclass(frozen=True)
class DomainComparison:
    result: DomainResult
    corpus: Corpus
    domains: tuple[Domain, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.result.to_dict(),
            **self.corpus.transcripts_dict(),
            "domain_definitions": [domain.to_dict() for domain in self.domains],
        }


def compare_domain_agreement(
    project: Project,
    analysts: Sequence[str] | None,
    specs: Sequence[str],
    *,
    transcripts: Sequence[str] | None = None,
    all_transcripts: bool = False,
) -> DomainComparison:
    domains = resolve_domains(project, specs)
    chosen = choose_analysts(project, analysts)
    corpus = select_transcripts(project, chosen, transcripts, all_transcripts=all_transcripts)
    wanted = [code for domain in domains for code in domain.codes]
    spans = spans_by_analyst(project, corpus, wanted)
    with collector_paused():
        result = compare_domains(spans, corpus.lengths, {domain.name: list(domain.codes) for domain in domains})
    return DomainComparison(result, corpus, tuple(domains))
