"""Writes the REFI-QDA samples in this folder, modelled on what real programs export.

The .qdpx and .qdc files are committed; run this again only to change them:
    .venv/bin/python tests/data/refi/make_samples.py

Each sample carries the deviations its program is known for (see QualCoder's refi.py notes and
public exports), and its positions are computed here the way that program counts them, from the
words a coding is meant to cover; the tests check that those words come out:

- atlas_ti.qdpx: CRLF text whose positions count a CRLF as ONE character; quotation names that
  are the start of the quoted text, cut with "..."; a source without a name; a code group (Set).
- maxqda.qdpx: project file "Elder care study.qde" (not project.qde), sources/ in lower case,
  text with a UTF-8 byte-order mark and CRLF counted as TWO characters; document variables in a
  Case without a name; a selection without a coding (a comment); a category (isCodable="false");
  two documents of the same name; an empty <Sets/> (not allowed by the schema).
- nvivo.qdpx: Sources/ in capitals, lower-case GUIDs, CRLF counted as two; a case that is also a
  code (a case node) coding the whole source; case attributes; a memo in its own .txt file; an
  annotation as a Note linked to a selection; a coding of a code that does not exist; a selection
  past the end of the text.
- utf16_positions.qdpx: text with emoji, positions counted in UTF-16 units.
- docx_only.qdpx: a source given only as .docx (richTextPath), paragraph ends counted as two.
- taguette_codebook.qdc: Taguette's codebook: flat codes, upper-case uuid5 GUIDs, empty <Sets/>.
- qualcoder.qdpx: as QualCoder's RefiExport writes a project (origin "QualCoder 3.6", which is not
  qualcode): its text files start with a byte-order mark and, with its "MAXQDA line endings"
  option, end lines in CRLF while positions still count one character per line end; a selection's
  name is the coded text; categories are codes with isCodable="false"; a document's and a case's
  memo are their Description; an annotation is a Note
  holding its own PlainTextSelection, referred to by a NoteRef on the TextSource; a journal is a
  Note with an empty <Description/> and, when its author coded nothing, creatingUser=""; an audio
  recording's transcript has SyncPoints at text positions and TranscriptSelections between them.
- nvivo_classifications.qdpx: NVivo's attribute names carry their classification ("Person:Age").
- maxqda24.qdpx: as MAXQDA 24 writes a project: "Pflege.qde", a Project with only a
  modifiedDateTime, attributes in its own order, document variables as typed VariableValues inside
  the TextSource (Integer, Boolean, Date, Float), a document set (Set with MemberSource), a video
  without text beside its transcript as a separate TextSource; here also GUIDs in braces and in
  lower case where the other references are upper case, which the schema allows.
- f4.qdpx: as f4analyse writes one: no Users, notes without names in their own .txt files, a memo
  on a code (NoteRef in the Code), a memo on an uncoded passage (a selection with a Description
  and a NoteRef but no Coding), German text with CRLF line ends counted as two.
- qualcoder_codebook.qdc: QualCoder writes its codebook with a byte-order mark, origin "QualCoder",
  categories as codes with isCodable="false", uncategorised codes first.
- atlas_ti_codebook.qdc: ATLAS.ti's schemaLocation names namespace "0:4" while xmlns says "1.0";
  its code groups are Sets whose MemberCode carries guid= (not targetGUID=).
- nvivo_mac_codebook.qdc: NVivo for Mac writes namespace "urn:QDA-XML:codebook:1:0", all on one line.
- otter_sources.qdpx: as QualCoder's RefiExport writes a project whose sources are Otter exports
  (a byte-order mark, CRLF line ends, positions counting one character per line end): each turn
  opens with Otter's header line "Name  0:00" and its words follow on the next line.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).parent
NS = uuid.UUID("0b5e2f4e-6c0a-4b43-8a3f-1d2c3b4a5f60")
SCHEMA = 'xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"'


def guid(name: str, upper: bool = True) -> str:
    value = str(uuid.uuid5(NS, name))
    return value.upper() if upper else value


def span(text: str, phrase: str, counting: str, occurrence: int = 0) -> tuple[int, int]:
    """Where `phrase` is in LF text `text`, counted as a program counts its CRLF or UTF-16 file."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)

    def count(i: int) -> int:
        if counting == "crlf-two":
            return i + text[:i].count("\n")
        if counting == "utf16":
            return len(text[:i].encode("utf-16-le")) // 2
        return i  # code points, CRLF as one

    return count(start), count(end)


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def write_qdpx(path: Path, qde_name: str, qde: str, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8"))
        for name, data in members.items():
            archive.writestr(name, data)


# -- ATLAS.ti -----------------------------------------------------------------------------------

B03 = """Interviewer: Thank you for taking the time. What is a normal shift like for you?
B03: It starts at six. You have eleven residents and two of you, so you run from the first minute.
Interviewer: How do you deal with the families?
B03: I smile at the families even when I am exhausted, because they should not see it. That is part of the job nobody pays you for.
Interviewer: Who helps you when it gets too much?
B03: My colleague Marta. We cover for each other, we have a look we give each other and then one of us takes over.
"""
B07 = """Interviewer: What changed after the new rota?
B07: Everything is counted now. Eight minutes for washing, four for breakfast. I feel like a machine.
Interviewer: And the residents?
B07: They notice. Mrs K. said to me, you are always running away. That hurt.
"""


def atlas_ti() -> None:
    hannah, lukas = guid("atlas user hannah"), guid("atlas user lukas")
    labour, pressure, support = guid("atlas code labour"), guid("atlas code pressure"), guid("atlas code support")
    s1, s2 = guid("atlas source b03"), guid("atlas source b07")

    def quotation(text: str, phrase: str, code: str, user: str, name: str, number: int) -> str:
        start, end = span(text, phrase, "crlf-one")
        return (
            f'<PlainTextSelection guid="{guid(f"atlas q {number}")}" name={quoteattr(name)} startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{user}" creationDateTime="2023-09-12T10:{20 + number:02d}:11Z">'
            f'<Coding guid="{guid(f"atlas c {number}")}" creatingUser="{user}" creationDateTime="2023-09-12T10:{20 + number:02d}:11Z">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        )

    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project name="Care work study" origin="ATLAS.ti 23.2.1.27436 (2023-08-01)" creatingUserGUID="{hannah}" creationDateTime="2023-09-12T10:15:02Z" basePath="" {SCHEMA}>
  <Users>
    <User guid="{hannah}" name="Hannah Okafor"/>
    <User guid="{lukas}" name="Lukas Brenner"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{labour}" name="Emotional labour" isCodable="true" color="#e64d4d"><Description>Managing one's feelings for residents and families.</Description></Code>
      <Code guid="{pressure}" name="Time pressure" isCodable="true" color="#4d7fe6"/>
      <Code guid="{support}" name="Peer support" isCodable="true" color="#6ab04c"/>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="{s1}" name="Interview B03" plainTextPath="internal://{s1}.txt" creatingUser="{hannah}" creationDateTime="2023-09-12T10:16:40Z">
      {quotation(B03, "I smile at the families even when I am exhausted", labour, hannah, "I smile at the families even when I am ex...", 1)}
      {quotation(B03, "We cover for each other", support, hannah, "We cover for each other", 2)}
      {quotation(B03, "I smile at the families even when I am exhausted, because they should not see it", labour, lukas, "I smile at the families even when I am ex...", 3)}
      {quotation(B03, "so you run from the first minute", pressure, lukas, "so you run from the first minute", 4)}
    </TextSource>
    <TextSource guid="{s2}" plainTextPath="internal://{s2}.txt" creatingUser="{lukas}" creationDateTime="2023-09-13T08:02:00Z">
      {quotation(B07, "Eight minutes for washing, four for breakfast", pressure, lukas, "Eight minutes for washing, four for brea...", 5)}
      {quotation(B07, "you are always running away", labour, hannah, "you are always running away", 6)}
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{guid("atlas memo")}" name="First impressions" creatingUser="{hannah}" creationDateTime="2023-09-12T11:00:00Z"><PlainTextContent>Families come up in every interview; emotional labour is done for them, not the residents.</PlainTextContent></Note>
  </Notes>
  <Sets>
    <Set guid="{guid("atlas group")}" name="Workload"><Description>Code group</Description><MemberCode targetGUID="{pressure}"/></Set>
  </Sets>
</Project>
"""
    write_qdpx(HERE / "atlas_ti.qdpx", "project.qde", qde, {f"sources/{s1}.txt": crlf(B03), f"sources/{s2}.txt": crlf(B07)})


# -- MAXQDA -------------------------------------------------------------------------------------

E01 = """I: Tell me about the day your mother moved in.
R: It was a Tuesday. I had taken the week off, but it was not enough.
I: What was hardest?
R: The nights. She called for my father every night, and I had to say again that he is gone.
I: Did anyone help?
R: The home care nurse came twice a week. Without her I would have given up.
"""
E02 = """I: How do you share the care with your brother?
R: He pays, I do. That is the arrangement nobody said out loud.
I: Is that fair?
R: No. But it is what we have.
"""


def maxqda() -> None:
    ines = guid("maxqda user ines")
    family, nights, formal, division = (guid(f"maxqda code {n}") for n in ("family", "nights", "formal", "division"))
    d1, d2 = guid("maxqda doc e01"), guid("maxqda doc e02")
    age, role = guid("maxqda var age"), guid("maxqda var role")

    def segment(text: str, phrase: str, number: int, code: str | None = None, comment: str | None = None) -> str:
        start, end = span(text, phrase, "crlf-two")
        inner = f"<Description>{escape(comment)}</Description>" if comment else ""
        if code:
            inner += f'<Coding guid="{guid(f"maxqda c {number}")}" creatingUser="{ines}"><CodeRef targetGUID="{code}"/></Coding>'
        return (
            f'<PlainTextSelection guid="{guid(f"maxqda s {number}")}" name="" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{ines}" creationDateTime="2022-11-03T14:0{number}:00Z">{inner}</PlainTextSelection>'
        )

    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project name="Elder care study" origin="MAXQDA 2022 (Release 22.7.0)" creatingUserGUID="{ines}" creationDateTime="2022-11-03T13:59:10Z" {SCHEMA}>
 <Users>
  <User guid="{ines}" name="Dr. Ines Weber"/>
 </Users>
 <CodeBook>
  <Codes>
   <Code guid="{family}" name="Family care" isCodable="false" color="#ff8000">
    <Code guid="{nights}" name="Night care" isCodable="true" color="#ff8000"/>
    <Code guid="{division}" name="Division of care" isCodable="true" color="#ff8000"/>
   </Code>
   <Code guid="{formal}" name="Formal help" isCodable="true" color="#0080ff"><Description>Paid or public services.</Description></Code>
  </Codes>
 </CodeBook>
 <Variables>
  <Variable guid="{age}" name="Age" typeOfVariable="Integer"/>
  <Variable guid="{role}" name="Relationship" typeOfVariable="Text"/>
 </Variables>
 <Cases>
  <Case guid="{guid("maxqda case d1")}">
   <VariableValue><VariableRef targetGUID="{age}"/><IntegerValue>54</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="{role}"/><TextValue>daughter</TextValue></VariableValue>
   <SourceRef targetGUID="{d1}"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="{d1}" name="Interview" plainTextPath="internal://{d1}.txt" creatingUser="{ines}" creationDateTime="2022-11-03T14:00:00Z">
   {segment(E01, "She called for my father every night", 1, nights)}
   {segment(E01, "The home care nurse came twice a week", 2, formal)}
   {segment(E01, "I had taken the week off, but it was not enough", 3, comment="Leave from work: compare with E02.")}
  </TextSource>
  <TextSource guid="{d2}" name="Interview" plainTextPath="internal://{d2}.txt" creatingUser="{ines}" creationDateTime="2022-11-04T09:00:00Z">
   {segment(E02, "He pays, I do", 4, division)}
  </TextSource>
 </Sources>
 <Sets/>
</Project>
"""
    bom = b"\xef\xbb\xbf"
    write_qdpx(HERE / "maxqda.qdpx", "Elder care study.qde", qde, {f"sources/{d1}.txt": bom + crlf(E01), f"sources/{d2}.txt": bom + crlf(E02)})


# -- NVivo --------------------------------------------------------------------------------------

ANNA = """Interviewer: When did you start working nights?
Anna: Three years ago. At first I thought it would be calmer.
Interviewer: And was it?
Anna: No. At night you are alone with twenty people. If two fall at once you choose.
Interviewer: How do you cope?
Anna: I talk to my sister on the phone on the way home. That is my debrief.
"""


def nvivo() -> None:
    user = guid("nvivo user", upper=False)
    alone, coping, cases_code = guid("nvivo code alone", False), guid("nvivo code coping", False), guid("nvivo cases", False)
    case_anna = guid("nvivo case anna", False)
    source = guid("nvivo source anna", False)
    memo, annotation = guid("nvivo memo", False), guid("nvivo annotation", False)
    agegroup = guid("nvivo var age", False)
    ghost_code = guid("nvivo deleted code", False)

    def selection(phrase: str, number: int, code: str) -> str:
        start, end = span(ANNA, phrase, "crlf-two")
        return (
            f'<PlainTextSelection guid="{guid(f"nvivo s {number}", False)}" name="" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{user}" creationDateTime="2021-05-02T09:1{number}:00Z" modifyingUser="{user}" modifiedDateTime="2021-05-02T09:1{number}:00Z">'
            f'<Coding guid="{guid(f"nvivo c {number}", False)}" creatingUser="{user}" creationDateTime="2021-05-02T09:1{number}:00Z">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        )

    whole = len(ANNA) + ANNA.count("\n")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project name="Night shifts" origin="NVivo 14.23.0 (Windows)" creatingUserGUID="{user}" creationDateTime="2021-05-01T08:00:00Z" modifyingUserGUID="{user}" modifiedDateTime="2021-05-03T08:00:00Z" {SCHEMA}>
  <Users>
    <User guid="{user}" name="Sofia Marquez" id="SM"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{alone}" name="Being alone on shift" isCodable="true" color="#A44C9E"/>
      <Code guid="{coping}" name="Coping" isCodable="true"><Description>Ways of getting through.</Description></Code>
      <Code guid="{cases_code}" name="Cases" isCodable="false">
        <Code guid="{case_anna}" name="Anna" isCodable="true"/>
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="{agegroup}" name="Age group" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="{case_anna}" name="Anna">
      <VariableValue><VariableRef targetGUID="{agegroup}"/><TextValue>30-39</TextValue></VariableValue>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{source}" name="Anna interview" richTextPath="internal://{source}.docx" plainTextPath="internal://{source}.txt" creatingUser="{user}" creationDateTime="2021-05-01T08:10:00Z">
      {selection("At night you are alone with twenty people", 1, alone)}
      {selection("I talk to my sister on the phone on the way home", 2, coping)}
      {selection("If two fall at once you choose", 3, ghost_code)}
      <PlainTextSelection guid="{guid("nvivo whole", False)}" name="" startPosition="0" endPosition="{whole}" creatingUser="{user}" creationDateTime="2021-05-01T08:11:00Z"><Coding guid="{guid("nvivo case coding", False)}" creatingUser="{user}"><CodeRef targetGUID="{case_anna}"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="{guid("nvivo past end", False)}" name="" startPosition="{whole + 10}" endPosition="{whole + 40}" creatingUser="{user}"><Coding guid="{guid("nvivo c past", False)}" creatingUser="{user}"><CodeRef targetGUID="{coping}"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="{guid("nvivo annotated", False)}" name="" startPosition="{span(ANNA, "That is my debrief", "crlf-two")[0]}" endPosition="{span(ANNA, "That is my debrief", "crlf-two")[1]}" creatingUser="{user}"/>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{memo}" name="Night work memo" plainTextPath="internal://{memo}.txt" creatingUser="{user}" creationDateTime="2021-05-02T10:00:00Z"/>
    <Note guid="{annotation}" plainTextPath="internal://{annotation}.txt" creatingUser="{user}" creationDateTime="2021-05-02T10:05:00Z"/>
  </Notes>
  <Links>
    <Link guid="{guid("nvivo link", False)}" name="" originGUID="{annotation}" targetGUID="{guid("nvivo annotated", False)}"/>
  </Links>
</Project>
"""
    members = {
        f"Sources/{source}.txt": crlf(ANNA),
        f"Sources/{memo}.txt": crlf("Nights are a different job, not the same job in the dark.\n"),
        f"Sources/{annotation}.txt": crlf("Her sister as a debrief: informal supervision.\n"),
    }
    write_qdpx(HERE / "nvivo.qdpx", "project.qde", qde, members)


# -- UTF-16 counting ----------------------------------------------------------------------------

CHAT = """Interviewer: How do you keep in touch with the team?
P4: Mostly the group chat 😅 honestly. Someone posts a 🙏 when they need cover.
Interviewer: Does that work?
P4: It works until nobody answers. Then you are on your own 😞 and you just carry on.
"""


def utf16_positions() -> None:
    user, chat, alone, source = guid("u16 user"), guid("u16 code chat"), guid("u16 code alone"), guid("u16 source")

    def selection(phrase: str, number: int, code: str) -> str:
        start, end = span(CHAT, phrase, "utf16")
        return (
            f'<PlainTextSelection guid="{guid(f"u16 s {number}")}" name={quoteattr(phrase)} startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
            f'<Coding guid="{guid(f"u16 c {number}")}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        )

    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project name="Team chat" origin="QDA Miner 2022 (6.0.10)" {SCHEMA}>
  <Users><User guid="{user}" name="Priya Nair"/></Users>
  <CodeBook><Codes>
    <Code guid="{chat}" name="Group chat" isCodable="true" color="#FFCC00"/>
    <Code guid="{alone}" name="Left alone" isCodable="true" color="#336699"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{source}" name="P4" plainTextPath="internal://{source}.txt">
      {selection("Someone posts a 🙏 when they need cover", 1, chat)}
      {selection("Then you are on your own 😞 and you just carry on", 2, alone)}
    </TextSource>
  </Sources>
</Project>
"""
    write_qdpx(HERE / "utf16_positions.qdpx", "project.qde", qde, {f"sources/{source}.txt": CHAT.encode("utf-8")})


# -- a source given only as .docx ---------------------------------------------------------------

DOCX_PARAGRAPHS = [
    "Interview C2, community nurse",
    "",
    "Interviewer: What does a good visit look like?",
    "C2: When I have time to sit down. Ten minutes sitting is worth an hour of rushing.",
    "Interviewer: How often does that happen?",
    "C2: Once a week, if I am lucky.",
]


def docx_only() -> None:
    from docx import Document

    document = Document()
    for paragraph in DOCX_PARAGRAPHS:
        document.add_paragraph(paragraph)
    data = io.BytesIO()
    document.save(data)
    user, code, source = guid("docx user"), guid("docx code"), guid("docx source")
    text = "\n".join(DOCX_PARAGRAPHS)
    start, end = span(text, "Ten minutes sitting is worth an hour of rushing", "crlf-two")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project name="Community nursing" origin="NVivo 12 Plus (12.7.0.3873)" {SCHEMA}>
  <Users><User guid="{user}" name="Tom Fischer"/></Users>
  <CodeBook><Codes><Code guid="{code}" name="Time with patients" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{source}" name="C2" richTextPath="internal://{source}.docx" creatingUser="{user}">
      <PlainTextSelection guid="{guid("docx s")}" name="" startPosition="{start}" endPosition="{end}" creatingUser="{user}"><Coding guid="{guid("docx c")}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""
    write_qdpx(HERE / "docx_only.qdpx", "project.qde", qde, {f"Sources/{source}.docx": data.getvalue()})


# -- Taguette codebook --------------------------------------------------------------------------


def taguette_codebook() -> None:
    taguette = uuid.UUID("51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2")
    codes = "".join(
        f'<Code guid="{str(uuid.uuid5(taguette, name)).upper()}" name="{name}" isCodable="true"/>'
        for name in ("interpretation", "Emotional labour", "time")
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1"><Codes>{codes}</Codes><Sets/></CodeBook>'
    )
    (HERE / "taguette_codebook.qdc").write_text(xml, encoding="utf-8")


# -- QualCoder ----------------------------------------------------------------------------------

ROSA = """Interviewer: How are the nights?
Rosa: Long. 😩 I count the hours until six.
Interviewer: And after the shift?
Rosa: Then I sleep all day and the children make their own breakfast.
"""
NIGHT_ROUND = """[00:00:05] Speaker 1: So you do the round alone?
[00:00:09] Speaker 2: Three nights a week, alone, forty flats.
"""


def qualcoder() -> None:
    amara = guid("qc user amara", False)
    nights, category, alone = guid("qc code nights", False), guid("qc cat time", False), guid("qc code alone", False)
    rosa, rosa_text, journal, annotation = (guid(f"qc {n}", False) for n in ("rosa", "rosa txt", "journal", "annotation"))
    audio, transcript_text, mode, case = guid("qc audio", False), guid("qc audio txt", False), guid("qc var mode", False), guid("qc case", False)

    def selection(phrase: str, code: str, number: int, memo: str = "") -> str:
        start, end = span(ROSA, phrase, "code points")  # QualCoder's positions are indices into its LF text
        description = f"<Description>{escape(memo)}</Description>\n" if memo else ""
        return (
            f'<PlainTextSelection guid="{guid(f"qc s {number}", False)}" startPosition="{start}" endPosition="{end}" '
            f'name={quoteattr(phrase)} creatingUser="{amara}" creationDateTime="2024-02-03T1{number}:00:00Z">\n{description}'
            f'<Coding guid="{guid(f"qc c {number}", False)}" creatingUser="{amara}" >\n<CodeRef targetGUID="{code}" />\n</Coding>\n</PlainTextSelection>\n'
        )

    points = [0, *span(NIGHT_ROUND, "Three nights a week, alone", "code points")]
    syncpoints = "".join(f'<SyncPoint guid="{guid(f"qc sync {p}", False)}" position="{p}" timeStamp="{p * 100}" />\n' for p in points)
    annotated = span(ROSA, "the children make their own breakfast", "code points")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="homecare.qda" origin="QualCoder 3.6" creatingUserGUID="{guid("qc nobody", False)}" creationDateTime="2024-02-01T09:12:44Z" xmlns="urn:QDA-XML:project:1.0">
<Users>
<User guid="{amara}" name="Amara" />
</Users>
<CodeBook>
<Codes>
<Code guid="{alone}" name="Working alone" isCodable="true" color="#81BEF7" />
<Code guid="{category}" name="Time" isCodable="false">
<Description>How the shift is organised.</Description>
<Code guid="{nights}" name="Long nights" isCodable="true" color="#F5A9A9">
<Description>The night as something to get through.</Description>
</Code>
</Code>
</Codes>
</CodeBook>
<Variables>
<Variable guid="{mode}" name="Interview mode" typeOfVariable="Text" >
<Description />
</Variable>
</Variables>
<Cases>
<Case guid="{case}" name="Rosa">
<Description>Works for the private agency.</Description>
<SourceRef targetGUID="{rosa}"/>
</Case>
</Cases>
<Sources>
<TextSource plainTextPath="internal://{rosa_text}.txt" creatingUser="{amara}" creationDateTime="2024-02-01T09:20:00Z" guid="{rosa}" name="Interview_Rosa.txt">
<Description>Long pauses after the question about her children.</Description>
{selection("I count the hours until six", nights, 1)}{selection("Then I sleep all day", nights, 2, "Sleep as the only rest.")}<NoteRef targetGUID="{annotation}" />
<VariableValue>
<VariableRef targetGUID="{mode}" />
<TextValue>phone</TextValue>
</VariableValue>
</TextSource>
<AudioSource creatingUser="{amara}" creationDateTime="2024-02-02T10:00:00Z" path="internal://{audio}.m4a" guid="{audio}" name="night_round.m4a" >
<Transcript plainTextPath="internal://{transcript_text}.txt" creatingUser="{amara}" creationDateTime="2024-02-02T10:00:00Z" guid="{guid("qc transcript", False)}" name="night_round.m4a.transcribed" >
{syncpoints}<TranscriptSelection guid="{guid("qc ts", False)}" name="night_round.m4a.transcribed" fromSyncPoint="{guid(f"qc sync {points[1]}", False)}" toSyncPoint="{guid(f"qc sync {points[2]}", False)}">
<Coding guid="{guid("qc tc", False)}" >
<CodeRef targetGUID="{alone}" />
</Coding>
</TranscriptSelection>
</Transcript>
<AudioSelection guid="{guid("qc av", False)}" begin="5000" end="9000" name="" creatingUser="{amara}" >
<Coding guid="{guid("qc avc", False)}" creatingUser="{amara}" creationDateTime="2024-02-02T10:05:00Z">
<CodeRef targetGUID="{alone}"/>
</Coding>
</AudioSelection>
</AudioSource>
</Sources>
<Notes>
<Note guid="{journal}" creatingUser="" creationDateTime="2024-02-05T16:00:00Z" name="Coding meeting 1"  plainTextPath="internal://{journal}.txt" >
<Description /></Note>
<Note guid="{annotation}" creatingUser="{amara}" creationDateTime="2024-02-04T09:00:00Z" >
<PlainTextContent>Said with pride.</PlainTextContent>
<PlainTextSelection guid="{guid("qc as", False)}" startPosition="{annotated[0]}" endPosition="{annotated[1]}" />
</Note>
</Notes>
<Description>Home care workers on night shifts.</Description>
</Project>"""
    bom = "\ufeff"
    members = {
        f"sources/{rosa_text}.txt": (bom + ROSA.replace("\n", "\r\n")).encode("utf-8"),
        f"sources/{transcript_text}.txt": (bom + NIGHT_ROUND.replace("\n", "\r\n")).encode("utf-8"),
        f"sources/{journal}.txt": (bom + "We agreed to code the mornings after as well.").encode("utf-8"),
    }
    write_qdpx(HERE / "qualcoder.qdpx", "project.qde", qde, members)


# -- NVivo classifications ------------------------------------------------------------------------

KOFI = """Interviewer: What do you do on your break?
Kofi: I sit in the car and eat. Ten minutes of quiet.
"""


def nvivo_classifications() -> None:
    user, source, case = guid("nvc user", False), guid("nvc source", False), guid("nvc case", False)
    age, role, code = guid("nvc var age", False), guid("nvc var role", False), guid("nvc code", False)
    start, end = span(KOFI, "Ten minutes of quiet", "crlf-two")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" name="Breaks" origin="NVivo for Windows 12.6" creatingUserGUID="{user}" creationDateTime="2022-03-01T10:00:00Z" basePath="" xmlns="urn:QDA-XML:project:1.0">
  <Users><User guid="{user}" name="Ama Owusu" /></Users>
  <CodeBook><Codes><Code guid="{code}" name="Breaks" isCodable="true" /></Codes></CodeBook>
  <Variables>
    <Variable guid="{age}" name="Person:Age group" typeOfVariable="Text"><Description /></Variable>
    <Variable guid="{role}" name="Person:Role" typeOfVariable="Text"><Description /></Variable>
  </Variables>
  <Cases>
    <Case guid="{case}" name="Kofi">
      <Description />
      <VariableValue><VariableRef targetGUID="{age}" /><TextValue>40-49</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{role}" /><TextValue>care assistant</TextValue></VariableValue>
      <SourceRef targetGUID="{source}" />
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{source}" name="Kofi" richTextPath="internal://{source}.docx" plainTextPath="internal://{source}.txt" creationDateTime="2022-03-01T10:05:00Z">
      <PlainTextSelection guid="{guid("nvc s", False)}" name="" startPosition="{start}" endPosition="{end}"><Coding guid="{guid("nvc c", False)}"><CodeRef targetGUID="{code}" /></Coding></PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    write_qdpx(HERE / "nvivo_classifications.qdpx", "project.qde", qde, {f"Sources/{source}.txt": crlf(KOFI)})


# -- MAXQDA 24 and f4 ------------------------------------------------------------------------------

B07 = """I: Wann haben Sie angefangen?
B: 2019, direkt nach der Ausbildung.
I: Und die Nächte?
B: Die Nächte sind das Schwerste. Man ist allein.
"""


def maxqda24() -> None:
    user, source, video, transcript = guid("mx24 user"), guid("mx24 b07"), guid("mx24 video"), guid("mx24 transcript")
    parent, nights, alone = guid("mx24 code time"), guid("mx24 code nights"), guid("mx24 code alone")
    variables = {name: guid(f"mx24 var {name}") for name in ("Alter", "Vollzeit", "Interviewdatum", "Stunden")}
    first, second = span(B07, "Die Nächte sind das Schwerste", "crlf-two"), span(B07, "Man ist allein", "crlf-two")
    values = "".join(
        f'<VariableValue><VariableRef targetGUID="{variables[name]}"/><{kind}>{value}</{kind}></VariableValue>\n'
        for name, kind, value in (("Alter", "IntegerValue", "34"), ("Vollzeit", "BooleanValue", "true"), ("Interviewdatum", "DateValue", "2024-10-01"), ("Stunden", "FloatValue", "37.5"))
    )
    types = {"Alter": "Integer", "Vollzeit": "Boolean", "Interviewdatum": "Date", "Stunden": "Float"}
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:QDA-XML:project:1.0" origin="MAXQDA 24 (Release 24.7.0)" name="Pflege" modifiedDateTime="2025-07-14T18:42:34Z">
 <Users>
  <User guid="{{{user}}}" name="Jana"/>
 </Users>
 <CodeBook>
  <Codes>
   <Code color="#ef8256" guid="{parent}" name="Arbeitszeit" isCodable="true">
    <Description>Wie die Schichten organisiert sind. Nur die Untercodes anwenden.</Description>
    <Code color="#ef8256" guid="{nights}" name="Nachtdienst" isCodable="true"/>
    <Code color="#ef8256" guid="{alone}" name="Alleinsein" isCodable="true"/>
   </Code>
  </Codes>
 </CodeBook>
 <Variables>
{"".join(f'  <Variable guid="{variables[name]}" name="{name}" typeOfVariable="{types[name]}"/>{chr(10)}' for name in variables)} </Variables>
 <Sources>
  <TextSource modifyingUser="{user}" guid="{source}" creatingUser="{user}" creationDateTime="2024-10-18T23:23:46Z" name="B07" plainTextPath="internal://{source}.txt" modifiedDateTime="2024-10-18T23:23:46Z">
   <PlainTextSelection endPosition="{first[1]}" modifyingUser="{user}" guid="{{{guid("mx24 s1")}}}" creatingUser="{user}" name="" modifiedDateTime="2024-10-19T10:00:00Z" creationDateTime="2024-10-19T10:00:00Z" startPosition="{first[0]}">
    <Coding creatingUser="{user}" guid="{guid("mx24 c1")}" creationDateTime="2024-10-19T10:00:00Z">
     <CodeRef targetGUID="{{{nights}}}"/>
    </Coding>
   </PlainTextSelection>
   <PlainTextSelection endPosition="{second[1]}" guid="{guid("mx24 s2")}" creatingUser="{user.lower()}" name="" startPosition="{second[0]}">
    <Coding creatingUser="{user}" guid="{guid("mx24 c2")}">
     <CodeRef targetGUID="{alone.lower()}"/>
    </Coding>
   </PlainTextSelection>
{values}  </TextSource>
  <VideoSource guid="{video}" name="Nachtgespräch" path="internal://{video}.m4a"/>
  <TextSource guid="{transcript}" name="Nachtgespräch-Transkript" plainTextPath="internal://{transcript}.txt"/>
 </Sources>
 <Sets>
  <Set guid="{guid("mx24 set")}" name="Welle 1">
   <MemberSource targetGUID="{source}"/>
  </Set>
 </Sets>
</Project>
"""
    members = {
        f"sources/{source}.txt": b"\xef\xbb\xbf" + crlf(B07),
        f"sources/{transcript}.txt": crlf("00:00:01 Sprecher 1: Läuft es?\n00:00:03 Sprecher 2: Ja.\n"),
        f"sources/{video}.m4a": b"\x00\x00\x00\x18ftypM4A ",
    }
    write_qdpx(HERE / "maxqda24.qdpx", "Pflege.qde", qde, members)


ANFANG = """I: Wie war der Anfang?
B: Schwer. Ich kannte niemanden im Team.
I: Und heute?
B: Heute bin ich die, die den Neuen alles zeigt.
"""


def f4() -> None:
    code, source = guid("f4 code", False), guid("f4 source", False)
    code_note, coded_note, uncoded_note = guid("f4 note code", False), guid("f4 note coded", False), guid("f4 note uncoded", False)
    coded, uncoded = span(ANFANG, "Ich kannte niemanden im Team", "crlf-two"), span(ANFANG, "Heute bin ich die, die den Neuen alles zeigt", "crlf-two")
    qde = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" origin="f4 2025.2.9" name="f4-Projekt">
    <CodeBook>
        <Codes>
            <Code guid="{code}" name="Ankommen" isCodable="true" color="#044B9B">
                <Description>Die ersten Wochen im Team</Description>
                <NoteRef targetGUID="{code_note}"/>
            </Code>
        </Codes>
    </CodeBook>
    <Sources>
        <TextSource guid="{source}" name="Interview 12" plainTextPath="internal://{source}.txt" richTextPath="internal://{source}.docx">
            <PlainTextSelection guid="{guid("f4 s1", False)}" startPosition="{coded[0]}" endPosition="{coded[1]}">
                <Coding guid="{guid("f4 c1", False)}">
                    <CodeRef targetGUID="{code}"/>
                </Coding>
                <NoteRef targetGUID="{coded_note}"/>
            </PlainTextSelection>
            <PlainTextSelection guid="{guid("f4 s2", False)}" startPosition="{uncoded[0]}" endPosition="{uncoded[1]}">
                <Description>Rollenwechsel: von der Neuen zur Anleiterin.</Description>
                <NoteRef targetGUID="{uncoded_note}"/>
            </PlainTextSelection>
        </TextSource>
    </Sources>
    <Notes>
        <Note guid="{code_note}" plainTextPath="internal://{code_note}.txt"/>
        <Note guid="{coded_note}" plainTextPath="internal://{coded_note}.txt"/>
        <Note guid="{uncoded_note}" plainTextPath="internal://{uncoded_note}.txt"/>
    </Notes>
</Project>
"""
    members = {
        f"sources/{source}.txt": crlf(ANFANG),
        f"sources/{code_note}.txt": "Ankommen heißt auch Abschied vom alten Team.".encode(),
        f"sources/{coded_note}.txt": b"Niemanden kennen: das Team als Fremde.",
        f"sources/{uncoded_note}.txt": b"Hier zeigt sich, wie schnell man selbst die Erfahrene wird.",
    }
    write_qdpx(HERE / "f4.qdpx", "project.qde", qde, members)


def qualcoder_codebook() -> None:
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
        'xsi:schemaLocation="urn:QDA-XML:codebook:1.0 Codebook.xsd" origin="QualCoder" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f'<Codes>\n<Code guid="{guid("qcb motivation", False)}" name="Motivation" isCodable="true" color="#A9F5A9" />\n'
        f'<Code guid="{guid("qcb relationships", False)}" name="Relationships" isCodable="false">\n<Description>People around the carer.</Description>\n'
        f'<Code guid="{guid("qcb trust", False)}" name="Trust" isCodable="true" color="#81BEF7">\n<Description>Clients relying on the carer.</Description>\n</Code>\n'
        "</Code>\n</Codes>\n</CodeBook>\n"
    )
    (HERE / "qualcoder_codebook.qdc").write_text(xml, encoding="utf-8-sig")


def atlas_ti_codebook() -> None:
    parent, child_code, group = guid("atcb parent"), guid("atcb child"), guid("atcb group")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:codebook:0:4 Codebook.xsd" origin="ATLAS.ti Win 23.4.0" xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="{parent}" name="Family care" color="#46AA00" isCodable="true">
      <Description>Care given by relatives.</Description>
      <Code guid="{child_code}" name="Night care" color="#46AA00" isCodable="true" />
    </Code>
  </Codes>
  <Sets>
    <Set name="Care arrangements" guid="{group}">
      <Description>Code group</Description>
      <MemberCode guid="{child_code}" />
    </Set>
  </Sets>
</CodeBook>"""
    (HERE / "atlas_ti_codebook.qdc").write_text(xml, encoding="utf-8")


def nvivo_mac_codebook() -> None:
    codes = (
        f'<Code color="#FF0000" guid="{guid("nvcb coping", False)}" isCodable="true" name="Coping">'
        f'<Code guid="{guid("nvcb humour", False)}" isCodable="true" name="Humour"/></Code>'
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?><CodeBook origin="NVivo 12 For Mac" xmlns="urn:QDA-XML:codebook:1:0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:codebook:1:0 Codebook.xsd">'
        f"<Codes>{codes}</Codes></CodeBook>"
    )
    (HERE / "nvivo_mac_codebook.qdc").write_text(xml, encoding="utf-8")


# -- Otter transcripts in a QualCoder export --------------------------------------------------------

OTTER_OSEI = """Depot drivers - Kwame Osei
Wed, Apr 3, 2024 9:12AM • 22:05

Lucy Tran  0:00
So how long have you been driving for the scheme?

Kwame Osei  0:05
Nine years in June. Before that I drove a school bus, which is good training for anything.

Lucy Tran  0:14
What's changed in that time?

Kwame Osei  0:18
The routes are longer and the stops are shorter. You used to get a cup of tea at every other house.

Lucy Tran  0:29
Do you miss that?

Kwame Osei  0:31
Every day. Some of those people, I was the only person they saw all week.

Transcribed by https://otter.ai
"""


def otter_sources() -> None:
    user, code, source, text_file = (guid(f"otter {n}", False) for n in ("user", "code", "source", "text"))

    def selection(phrase: str, number: int) -> str:
        start, end = span(OTTER_OSEI, phrase, "code points")
        return (
            f'<PlainTextSelection guid="{guid(f"otter s {number}", False)}" startPosition="{start}" endPosition="{end}" '
            f'name={quoteattr(phrase)} creatingUser="{user}" creationDateTime="2024-04-05T10:0{number}:00Z">\n'
            f'<Coding guid="{guid(f"otter c {number}", False)}" creatingUser="{user}" >\n<CodeRef targetGUID="{code}" />\n</Coding>\n</PlainTextSelection>\n'
        )

    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="depot.qda" origin="QualCoder 3.6" creatingUserGUID="{user}" creationDateTime="2024-04-05T09:00:00Z" xmlns="urn:QDA-XML:project:1.0">
<Users>
<User guid="{user}" name="Lucy" />
</Users>
<CodeBook>
<Codes>
<Code guid="{code}" name="Isolation" isCodable="true" color="#81BEF7" />
</Codes>
</CodeBook>
<Sources>
<TextSource plainTextPath="internal://{text_file}.txt" creatingUser="{user}" creationDateTime="2024-04-05T09:05:00Z" guid="{source}" name="Osei_otter.txt">
{selection("You used to get a cup of tea at every other house", 1)}{selection("I was the only person they saw all week", 2)}</TextSource>
</Sources>
</Project>"""
    members = {f"sources/{text_file}.txt": ("\ufeff" + OTTER_OSEI.replace("\n", "\r\n")).encode("utf-8")}
    write_qdpx(HERE / "otter_sources.qdpx", "project.qde", qde, members)

if __name__ == "__main__":
    atlas_ti()
    maxqda()
    nvivo()
    utf16_positions()
    docx_only()
    taguette_codebook()
    qualcoder()
    nvivo_classifications()
    maxqda24()
    f4()
    qualcoder_codebook()
    atlas_ti_codebook()
    nvivo_mac_codebook()
    otter_sources()
