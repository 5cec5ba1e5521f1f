"""Matching the analysts' codings and memos with those here: codings by GUID, then by (transcript,
code, analyst, start, end); memos by GUID, then by (analyst, target, body). Anything already here
is matched, so bringing the same file in twice adds nothing the second time."""

from __future__ import annotations

from collections import Counter

from qualcode.analysis.memos import DEFAULT_KIND, MEMO_KINDS, TARGET_TYPES, check_body
from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.incorporate_plan import New, Planning, Ref, squash
from qualcode.store import new_guid
from qualcode.wording import counted, shell_command


def plan_codings(planning: Planning) -> None:
    existing = {
        (t, c, a, s, e): i
        for i, t, c, a, s, e in planning.project.db.execute(
            "SELECT id, transcript_id, code_id, analyst_id, start, [end] FROM codings"
        )
    }
    by_guid: dict[str, Ref] = dict(planning.project.db.execute("SELECT guid, id FROM codings"))
    tally = planning.tallies["codings"]
    missing: Counter[str] = Counter()
    on_categories: Counter[Ref] = Counter()
    categories = planning.categories
    unknown_user = 0
    planned = planning.plan.codings
    for coding in planning.incoming.codings:
        analyst = planning.analyst(coding.analyst_key)
        if analyst is None:
            continue  # this analyst's work was not asked for
        unknown_user += coding.analyst_key is None
        transcript = planning.transcript_refs.get(coding.transcript_key)
        code = planning.code_refs.get(coding.code_key)
        if transcript is None or code is None:
            missing["a transcript" if transcript is None else "a code"] += 1
            continue
        if code in categories:
            on_categories[code] += 1
            continue
        guid = normalise_guid(coding.guid)
        if guid in by_guid:
            planning.coding_refs[coding.key] = by_guid[guid]
            tally.matched += 1
            continue
        length = planning.transcript_lengths[transcript]
        end = coding.end
        if not 0 <= coding.start < end <= length:
            # Never clipped to fit: a coding that overruns its text was made on other text, and
            # cut short it would mark words nobody chose.
            where = "ends beyond" if 0 <= coding.start < end else "lies outside"
            planning.warnings.append(
                f"skipped a coding at {coding.start}-{coding.end}: it {where} the text, which has {length} characters"
            )
            tally.skipped += 1
            continue
        key = (transcript, code, analyst, coding.start, end)
        if key in existing:
            planning.coding_refs[coding.key] = existing[key]
            tally.matched += 1
            continue
        ref = New("coding", coding.key)
        if not guid:
            guid = new_guid()
        by_guid[guid] = existing[key] = planning.coding_refs[coding.key] = ref
        planned.append((ref, guid, transcript, code, analyst, coding.start, end, coding.created))
    for code, count in on_categories.items():
        planning.plan.blocking.append(
            f"{counted(count, 'coding')} in {planning.incoming.label} {'applies' if count == 1 else 'apply'}"
            f" '{categories[code]}', which is a category here"
            f" (it groups codes and is never applied): make it a code first with "
            f"{shell_command('code', 'describe', categories[code], '--codable')}"
            if isinstance(code, int)
            else f"{counted(count, 'coding')} in {planning.incoming.label} {'applies' if count == 1 else 'apply'}"
            f" '{categories[code]}', which the file itself"
            " marks as a category (not codable): a category holds no codings, so the file contradicts itself"
        )
    tally.added += len(planned)
    tally.skipped += sum(missing.values())
    for what, count in missing.items():
        planning.warnings.append(f"skipped {counted(count, 'coding')} on {what} that was not brought in")
    if unknown_user:
        planning.notes.append(
            f"{counted(unknown_user, 'coding')} {'names' if unknown_user == 1 else 'name'} no user; recorded as the importing analyst's"
        )


def plan_memos(planning: Planning) -> None:
    existing_guids = {r[0] for r in planning.project.db.execute("SELECT guid FROM memos")}
    existing = {
        (a, t, i, squash(body))
        for a, t, i, body in planning.project.db.execute("SELECT analyst_id, target_type, target_id, body FROM memos")
    }
    refs = {
        "transcript": planning.transcript_refs,
        "code": planning.code_refs,
        "theme": planning.theme_refs,
        "coding": planning.coding_refs,
    }
    phase = planning.project.current_phase()
    tally = planning.tallies["memos"]
    for memo in planning.incoming.memos:
        analyst = planning.analyst(memo.analyst_key)
        if analyst is None:
            continue
        if not (memo.body or "").strip():
            continue
        body = check_body(memo.body)
        guid = normalise_guid(memo.guid)
        if guid and guid in existing_guids:
            tally.matched += 1
            continue
        target_type = memo.target_type if memo.target_type in TARGET_TYPES else None
        target = refs[target_type].get(memo.target_key or "") if target_type else None
        if target_type and target is None:
            planning.warnings.append(f"a memo's {target_type} was not brought in; the memo is kept without it")
            target_type = None
        key = (analyst, target_type, target, squash(body))
        if key in existing:
            tally.matched += 1
            continue
        existing.add(key)
        ref = New("memo", memo.key)
        row = {
            "guid": planning.guid("memos", guid),
            "kind": memo.kind if memo.kind in MEMO_KINDS else DEFAULT_KIND[target_type],
            "target_type": target_type,
            "phase": memo.phase if memo.phase in range(1, 7) else phase,
            "body": body,
            "created": memo.created,
            "updated": memo.updated or memo.created,
        }
        planning.plan.memos.append((ref, row, analyst, target))
        tally.added += 1
