"""Build P13.docx, the demo's Word-format transcript, from the turns below.

The demo ships the .docx itself; this script is kept so the document can be rebuilt (or the
interview corrected) without hand-editing Word files. Each turn is one paragraph whose speaker
label is a bold run, the way transcribers usually lay out interviews in Word.

Run: python qualcode/demo/data/make_p13_docx.py
"""

from __future__ import annotations

import datetime
from pathlib import Path

from docx import Document

TITLE = "Interview with P13"

TURNS: list[tuple[str, str]] = [
    ("Interviewer", "Right, that's recording. Thanks so much for giving up your lunch break for this."),
    (
        "P13",
        "No, it's a pleasure, honestly. I've been looking forward to it. It's nice to talk about the work with someone who isn't my supervisor. [laughs]",
    ),
    (
        "Interviewer",
        "[laughs] So, can you tell me about your background and how you came to be a psychotherapist?",
    ),
    (
        "P13",
        "Yeah. So I was a mental health nurse originally, I worked on acute wards for about five years, and I loved the patients and I really struggled with the, um, the system. Everything was about containment and risk and medication, and there was so little time to actually sit with people. And then when I was twenty-six I had a car accident, and I've been a wheelchair user since then, and I couldn't go back to ward work, or not the way it was set up. So it was a, um, a forced rethink. [laughs] I'd always been drawn to the talking side, so I did a relational psychotherapy training, four years, and I've been qualified ten years now. UKCP registered. I'm full-time in private practice, mostly online, apart from one day a week in a room I rent that's accessible.",
    ),
    ("Interviewer", "Why relational, do you think?"),
    (
        "P13",
        "Because of the nursing, partly. I'd seen that the patients who got better on the ward were often the ones who'd connected with somebody, a nurse, a healthcare assistant, the cleaner sometimes. [laughs] Not necessarily the ones who'd had the right medication. And the relational training put that at the centre. The idea that we're shaped in relationships and we heal in relationships. And also my own experience after the accident, being a patient for a long time. I'd had so many professionals who were technically brilliant and I felt like a body on a bed. And a few who actually saw me. And I knew which kind I wanted to be.",
    ),
    ("Interviewer", "How do you think about what happens in therapy, how change happens?"),
    (
        "P13",
        "I think change happens when someone has a different experience of being in a relationship. Not just understanding their patterns, though that helps, but actually living something different, with me, in the room. So if someone's always been dismissed, and they experience being taken seriously, consistently, over months, something shifts in them that's deeper than insight. And for that to happen I can't be hiding behind a technique. I have to actually be there, and be affected, and let them see that they affect me. Which doesn't mean I don't use techniques, I do, but they come out of what's happening between us, not out of a manual.",
    ),
    ("Interviewer", "And how do you begin with someone?"),
    (
        "P13",
        "Slowly. [laughs] I think that's the main thing. I do an initial consultation, and I'm really clear about the practical frame, the time, the fee, the cancellation policy, and the limits of confidentiality. I'm very explicit about that. I say, everything you tell me stays between us, except if I'm seriously worried that you or someone else is at risk of serious harm, and then I'd talk to you first, wherever I possibly can, before I did anything. Because I've seen what happens when people don't know that and then it happens. It's devastating. It feels like a betrayal.",
    ),
    ("Interviewer", "Do you ask about previous therapy?"),
    (
        "P13",
        "Always. A lot of my clients have had therapy before, and a worrying number have had really bad experiences. I worked with a woman, I'll be careful here, who had been in therapy for several years with someone who, um, crossed boundaries. Not sexually, but he'd become her friend, basically. They'd have coffee after sessions, he'd told her all about his divorce, and then when she got angry with him about something he just ended it. Stopped the therapy in an email. And she came to me absolutely convinced that therapy was dangerous, and that I'd do the same thing.",
    ),
    ("Interviewer", "How did you work with her?"),
    (
        "P13",
        "With her, the frame was everything. Being exactly on time. Never running over, even when she wanted me to. Not telling her about my life, even when she asked, and explaining why. And she tested it, a lot. She'd email between sessions, she'd ask personal questions, she'd try to get me to extend. And every time I held the boundary she'd get furious, and then, slowly, over a long time, she started to feel safer. She said once, \"you're boring, and I love it.\" [laughs] Which I took as the highest compliment.",
    ),
    ("Interviewer", "So boundaries were a way of building trust?"),
    (
        "P13",
        "Yes. I think boundaries are a form of care. People think of them as keeping the client out, but actually they're what makes it safe enough to let someone in. If I'm clear and consistent, the client doesn't have to worry about me. They don't have to look after me, or wonder if I'll disappear. They can just use the space.",
    ),
    ("Interviewer", "You mentioned your disability. Does that come into the relationship?"),
    (
        "P13",
        "Oh, definitely. [laughs] I mean, even online, people can usually see. And in the room, obviously. And it's interesting, because it's a difference that's right there, visible, and people react to it in all sorts of ways. Some clients don't mention it at all, ever, for months, and I can feel them not mentioning it. Some clients try to look after me, they'll apologise for bringing something heavy, as if I'm fragile. I had one man who kept asking if I was comfortable, if I needed a break, and it took us a while to realise he did that with everyone. He was constantly monitoring whether other people were all right, and that was actually what had brought him to therapy.",
    ),
    ("Interviewer", "How do you work with that?"),
    (
        "P13",
        "I name it. I learned quite early that if I don't, it just sits there. So I might say, you haven't mentioned my wheelchair, and you don't have to, but I wonder if it's on your mind. And that's usually a relief. And I think my disability gives me a way into talking about difference more generally, power, what we can and can't see about each other. Because I'm also a white woman, I'm educated, I'm a professional, and in lots of ways I have more power than a lot of my clients. So it's not that I'm simply the disadvantaged one. It's complicated. With every client you're sort of negotiating what your differences mean, between you, and it's not fixed, it changes over the course of the work.",
    ),
    ("Interviewer", "What about ruptures? Have you experienced those?"),
    (
        "P13",
        "All the time. [laughs] It's relational therapy, it's kind of the point. Um, I think of ruptures as the moments when the old pattern turns up between us. So the client who's always been let down will at some point feel let down by me, because I'm human and I will let them down, in some small way. And that's the chance.",
    ),
    ("Interviewer", "Can you give me an example?"),
    (
        "P13",
        "I had a young man, a student, who'd been very engaged and then started turning up late, and being quite vague, saying he didn't have much to talk about. And it would have been easy to think, oh, he's getting better, he doesn't need me. But I had this feeling it was something else. So I said, I've noticed something's changed in our sessions, you seem further away, and I wonder if something's happened between us. And he said, well, you said a few weeks ago that I seemed to be doing better, and I thought you wanted to get rid of me. And I had said that. I meant it as encouragement. And he'd heard it as, you're nearly done, off you go.",
    ),
    ("Interviewer", "How did you repair that?"),
    (
        "P13",
        "I said, I can see why you heard it that way, and I'm really glad you told me. And I said I wasn't trying to get rid of him, and that if we ended it would be something we decided together. But more important than the reassurance, I think, was that we talked about it. What it was like for him to feel he was being pushed out. How familiar that was. His parents had had another baby when he was small and he'd been sent to his grandmother's for a while. So the rupture sort of opened the door to the thing that mattered most. I think that happens a lot. If you can talk about what's happening between you, rather than just what's happening out there, that's often where the work is.",
    ),
    ("Interviewer", "And the angrier ruptures?"),
    (
        "P13",
        "Yes. I had a client who was very angry with me when I raised a safeguarding concern. It was about her ex-partner and her child, and I'd told her at the start about the limits of confidentiality, and when it came up I talked to her first, but I still had to make the call. And she was livid. She said I was like every other professional, I'd pretended to care and then gone behind her back. And I had to sit with that. Because in a way she was right, I was being a professional with duties, and I was also her therapist. And I couldn't make that okay for her. What I could do was not argue, not defend myself too much, let her be angry, and keep turning up. And she did come back. It took weeks, and we had some really hard sessions, but she came back.",
    ),
    ("Interviewer", "Does anxiety come into those moments, for you or for the client?"),
    (
        "P13",
        "Hugely. I think in that session with the safeguarding, we were both terrified, honestly. She was terrified of what would happen to her child, and I was terrified I'd lost her, and I think the anger was partly the fear coming out sideways, on both sides. I noticed I was talking too much, explaining the procedure, and it was really my anxiety, I wanted her to not be angry with me. And when I stopped, and just said, this is really frightening, for you, and it's hard for me too, something settled a bit. I think anxiety is always in the room between two people. It's not just the client's. And if I pretend I'm not anxious, the client can usually feel it anyway, and then they're dealing with a therapist who's anxious and pretending not to be, which is worse.",
    ),
    ("Interviewer", "How did you look after yourself through that?"),
    (
        "P13",
        "Supervision. Lots of supervision. [laughs] And my own therapy. I think the thing about relational work is it asks a lot of you, because you're letting yourself be affected. And I had a period, about five years in, where I was really burnt out. I had too many clients, I was saying yes to everyone because I felt guilty about the waiting lists, and I was exhausted, and my work suffered. I was less present. And I had to learn, really learn, that looking after myself is part of looking after my clients. I don't see more than five clients a day now, and I have a proper rest in the afternoon, partly because my body needs it and partly because my head does.",
    ),
    ("Interviewer", "Has the work changed you, would you say?"),
    (
        "P13",
        "Completely. [pause] I think I'm a much less defended person than I was. Nursing taught me to be efficient and a bit armoured, and this work has taken the armour off, bit by bit. You can't ask clients to be vulnerable and stay armoured yourself. And I've learned so much from my clients about, um, about resilience, about how people survive things. After my accident I was quite angry for a long time, and some of my clients have been through things that make my accident look like a bad day, and the ways they've found to live... it's changed how I live with my own body, honestly.",
    ),
    ("Interviewer", "And how do you hold being professional and being a real person?"),
    (
        "P13",
        "I don't think they're opposites, but there's a tension, and I hold it differently with different clients. With the woman whose therapist had crossed boundaries, I was much more in role, much more boundaried, because that's what she needed to feel safe. With other clients I'm more open. I might share a reaction, I might say, that really moved me, or, I'm finding myself feeling protective of you. I think the authenticity is in being honest about what's happening in me, when it's useful, not in telling people about my life. And the role is what makes that honesty safe. It means the client knows I'm not going to use them, or need them to look after me.",
    ),
    ("Interviewer", "Is there anything else you'd like to add?"),
    (
        "P13",
        "I think just that ruptures and mistakes aren't failures. I wish I'd known that when I started. I used to lie awake after a difficult session thinking I'd damaged someone. And sometimes I had, a bit. But mostly the thing that damages people is when the therapist can't admit it. If you can say, I got that wrong, let's look at it, that's often the most healing thing that happens.",
    ),
    ("Interviewer", "Thank you so much. That's been really rich."),
]


def build(path: Path) -> None:
    document = Document()
    document.add_paragraph(TITLE, style="Title")
    for speaker, text in TURNS:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(f" {text}")
    # Fixed metadata so a rebuild differs from the shipped file only in the zip's own timestamps.
    properties = document.core_properties
    properties.title = TITLE
    properties.author = "Transcriber"
    properties.last_modified_by = "Transcriber"
    properties.created = properties.modified = datetime.datetime(2024, 5, 14, 12, 0)
    document.save(str(path))


if __name__ == "__main__":
    out = Path(__file__).with_name("P13.docx")
    build(out)
    print(f"wrote {out}")
