"""What researchers type to search transcripts, read into a query for the full-text index.

    rupture              the word in any of its forms: ruptures, ruptured, rupturing
    rupt*                words beginning with rupt
    felt stuck           these words next to each other, in this order, as they are typed
    "felt stuck"         the same; quotes (straight or curly) set a phrase off from what is around it
    rupture AND repair   turns that have both;  OR: either;  NOT: the first, in turns without the second
    ( )                  grouping
    NEAR(rupture repair, 10)   these words within 10 words of each other, in any order

Word forms are English: the index stems words with the Porter stemmer. Case and accents are
ignored, and apostrophes, hyphens and other marks only separate words, so "don't" finds "don’t".

The expression is parsed here rather than handed to SQLite, for two reasons: what people type
(an apostrophe, a full stop, "P3:") is often not FTS5 syntax, so every word is passed as a quoted
string; and input FTS5 would reject is refused with one line that says what to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qualcode.errors import InvalidInput
from qualcode.text.matching import EmptyPhrase

DEFAULT_NEAR = 10
OPERATORS = ("AND", "OR", "NOT")
QUOTE_MARKS = '"“”'
# How many letters of a prefix the index is asked for when the words must be exactly as typed:
# the index holds stems, and a word's stem keeps all its letters but the last few changed ones.
EXACT_PREFIX_LETTERS = 3


class SearchSyntaxError(InvalidInput):
    """A search expression that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words next to each other, in order. `quoted`: typed in quotes (--near keeps it whole)."""

    words: tuple[Word, ...]
    quoted: bool = False


@dataclass(frozen=True)
class Near:
    phrases: tuple[Phrase, ...]
    distance: int


@dataclass(frozen=True)
class Operation:
    operator: str  # AND, OR or NOT
    left: Node
    right: Node


Node = Phrase | Near | Operation


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search: `fts()` is the query for the index; `near` the distance that joins the
    words of a NEAR search into one hit."""

    root: Node

    @property
    def near(self) -> int | None:
        return self.root.distance if isinstance(self.root, Near) else None

    def fts(self) -> str:
        return _render(self.root)

    def candidates(self) -> str:
        """A query that finds at least every turn the exact-words search finds, for an index of
        stems: turns that have no exact match are weeded out afterwards. NOT is left out (a stem
        excludes more than the word), and a prefix is shortened to letters every stem keeps."""
        return _render(self.root, relaxed=True)


def parse_search(expression: str, *, near: int | None = None) -> SearchQuery:
    """Read a search expression. `near`: the words and phrases typed must lie within this many
    words of each other (the --near option)."""
    tokens = _tokens(expression)
    if not any(kind in ("words", "phrase") for kind, _ in tokens):
        if any(kind == "near" for kind, _ in tokens):
            raise SearchSyntaxError(_NEAR_NEEDS_WORDS)
        if any(kind in ("star",) for kind, _ in tokens):
            raise SearchSyntaxError(_LONE_STAR)
        raise EmptyPhrase("search needs a word or phrase")
    parser = _Parser(tokens)
    root = parser.expression()
    parser.finish()
    if near is not None:
        root = _near(root, near)
    return SearchQuery(root)


_LONE_STAR = "a * marks a prefix and goes straight after the start of a word, as in rupt* (not on its own)"
_NEAR_NEEDS_WORDS = "NEAR needs words in brackets, as in NEAR(rupture repair, 10); or give the words with --near 10"


def _near(root: Node, distance: int) -> Near:
    if distance < 0:
        raise SearchSyntaxError(f"--near takes a number of words, 0 or more, not {distance}")
    items = _and_items(root)
    if items is None:
        raise SearchSyntaxError(
            "--near takes words and phrases, without AND, OR, NOT or NEAR; write NEAR(...) in the search instead"
        )
    phrases: list[Phrase] = []
    for item in items:
        if item.quoted:
            phrases.append(item)
        else:
            phrases.extend(Phrase((word,)) for word in item.words)
    if len(phrases) < 2:
        raise SearchSyntaxError(
            "--near needs two or more words to find near each other, as in: rupture repair --near 10"
        )
    return Near(tuple(phrases), distance)


def _and_items(node: Node) -> list[Phrase] | None:
    """The phrases of words and phrases typed side by side (implicitly AND-ed), or None."""
    if isinstance(node, Phrase):
        return [node]
    if isinstance(node, Operation) and node.operator == "AND":
        left, right = _and_items(node.left), _and_items(node.right)
        return None if left is None or right is None else left + right
    return None


# -- reading the expression ------------------------------------------------------------------

Token = tuple[str, str]  # kind, text: words | phrase | star | ( | ) | , | op | near


def _tokens(expression: str) -> list[Token]:
    tokens: list[Token] = []
    brackets: list[str] = []  # "near" or "group" for each bracket open: commas part NEAR's distance
    i, n = 0, len(expression)
    while i < n:
        ch = expression[i]
        separators = QUOTE_MARKS + "()*" + ("," if brackets and brackets[-1] == "near" else "")
        if ch.isspace():
            i += 1
        elif ch in QUOTE_MARKS:
            ends = [j for j in (expression.find(q, i + 1) for q in QUOTE_MARKS) if j != -1]
            if not ends:
                shown = " ".join(expression[i + 1 :].split())
                raise SearchSyntaxError(
                    f'the phrase "{shown} has no closing quote; put a quote at each end, as in "{shown}"'
                )
            tokens.append(("phrase", expression[i + 1 : min(ends)]))
            i = min(ends) + 1
        elif ch == "*":
            if not tokens or tokens[-1][0] not in ("words", "phrase") or expression[i - 1].isspace():
                raise SearchSyntaxError(_LONE_STAR)
            kind, text = tokens[-1]
            tokens[-1] = (kind, text + "*")
            i += 1
        elif ch in "()" or ch in separators:
            if ch == "(":
                brackets.append("near" if tokens and tokens[-1][0] == "near" else "group")
            elif ch == ")" and brackets:
                brackets.pop()
            tokens.append((ch, ch))
            i += 1
        else:
            j = i
            while j < n and not expression[j].isspace() and expression[j] not in separators:
                j += 1
            word = expression[i:j]
            kind = "op" if word in OPERATORS else "near" if word == "NEAR" else "words"
            tokens.append((kind, word))
            i = j
    return _joined(tokens)


def _joined(tokens: list[Token]) -> list[Token]:
    """Bare words typed side by side become one run: they are one phrase."""
    joined: list[Token] = []
    for kind, text in tokens:
        if kind == "words" and joined and joined[-1][0] == "words":
            joined[-1] = ("words", joined[-1][1] + " " + text)
        else:
            joined.append((kind, text))
    return joined


def _has_letters(text: str) -> bool:
    """Whether text has something the index keeps: letters or digits (marks only separate words)."""
    return any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co" for ch in text)


def _phrase(text: str, quoted: bool) -> Phrase | None:
    words: list[Word] = []
    for piece in text.split():
        prefix = piece.endswith("*")
        piece = piece.rstrip("*")
        if "*" in piece:
            raise SearchSyntaxError(_LONE_STAR)
        if _has_letters(piece):
            words.append(Word(piece, prefix))
        elif prefix:
            raise SearchSyntaxError(_LONE_STAR)
    return Phrase(tuple(words), quoted) if words else None


class _Parser:
    """expression := and (OR and)*;  and := not ([AND] not)*;  not := item (NOT item)*;
    item := phrase | ( expression ) | NEAR( phrase... [, N] )."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def finish(self) -> None:
        token = self.peek()
        if token is None:
            return
        if token[0] == ")":
            raise SearchSyntaxError(
                "a closing bracket has no opening one; write brackets in pairs, as in (rupture OR repair)"
            )
        if token[0] == "op":
            raise SearchSyntaxError(_operator_needs_words(token[1]))
        raise SearchSyntaxError(f"cannot read the search from '{token[1]}' on")  # pragma: no cover

    def expression(self) -> Node:
        node = self.conjunction()
        while self.peek() == ("op", "OR"):
            self.take()
            node = Operation("OR", node, self.conjunction(after="OR"))
        return node

    def conjunction(self, after: str | None = None) -> Node:
        node = self.negation(after)
        while True:
            token = self.peek()
            if token == ("op", "AND"):
                self.take()
                node = Operation("AND", node, self.negation("AND"))
            elif token is not None and token[0] in ("words", "phrase", "(", "near"):
                item = self.negation(None)
                node = Operation("AND", node, item)
            else:
                return node

    def negation(self, after: str | None) -> Node:
        node = self.item(after)
        while self.peek() == ("op", "NOT"):
            self.take()
            node = Operation("NOT", node, self.item("NOT"))
        return node

    def item(self, after: str | None) -> Node:
        token = self.peek()
        if token is None or token[0] in ("op", ")"):
            if token is not None and token[0] == "op" and after is None:
                raise SearchSyntaxError(_operator_needs_words(token[1]))
            raise SearchSyntaxError(_operator_needs_words(after or "a bracket"))
        kind, text = self.take()
        if kind in ("words", "phrase"):
            phrase = _phrase(text, quoted=kind == "phrase")
            if phrase is None:  # only marks: they match nothing, so they are left out
                return self._dropped(after)
            return phrase
        if kind == "(":
            node = self.expression()
            if self.peek() is None or self.peek() != (")", ")"):
                raise SearchSyntaxError("a bracket is not closed; write brackets in pairs, as in (rupture OR repair)")
            self.take()
            return node
        if kind == "near":
            return self.near()
        raise SearchSyntaxError(_LONE_STAR)  # pragma: no cover

    def _dropped(self, after: str | None) -> Node:
        token = self.peek()
        if token is not None and token[0] in ("words", "phrase", "(", "near"):
            return self.item(after)
        raise SearchSyntaxError("search needs a word or phrase" if after is None else _operator_needs_words(after))

    def near(self) -> Near:
        if self.peek() != ("(", "("):
            raise SearchSyntaxError(_NEAR_NEEDS_WORDS)
        self.take()
        phrases: list[Phrase] = []
        distance = DEFAULT_NEAR
        while True:
            token = self.peek()
            if token is None:
                raise SearchSyntaxError("NEAR( is not closed; write NEAR(rupture repair, 10)")
            kind, text = self.take()
            if kind == ")":
                break
            if kind == ",":
                number = self.take() if self.peek() is not None else ("", "")
                if number[0] != "words" or not number[1].isdigit() or self.peek() != (")", ")"):
                    raise SearchSyntaxError("NEAR takes its distance last, as a number: NEAR(rupture repair, 10)")
                distance = int(number[1])
                continue
            if kind == "words":
                phrases.extend(Phrase((word,)) for word in (_phrase(text, quoted=False) or Phrase(())).words)
            elif kind == "phrase":
                quoted = _phrase(text, quoted=True)
                if quoted is not None:
                    phrases.append(quoted)
            else:
                raise SearchSyntaxError('NEAR(...) takes words and phrases only, as in NEAR(rupture "felt stuck", 10)')
        if len(phrases) < 2:
            raise SearchSyntaxError(_NEAR_NEEDS_WORDS)
        return Near(tuple(phrases), distance)


def _operator_needs_words(operator: str) -> str:
    if operator == "NOT":
        return "NOT needs words on both sides, as in: rupture NOT repair (the first, in turns without the second)"
    if operator in OPERATORS:
        return f"{operator} needs words on both sides, as in: rupture {operator} repair"
    return "a bracket needs words inside it, as in (rupture OR repair)"


# -- the query for the index -------------------------------------------------------------------


def _render(node: Node, relaxed: bool = False) -> str:
    if isinstance(node, Phrase):
        return _render_phrase(node, relaxed)
    if isinstance(node, Near):
        if relaxed:
            return "(" + " AND ".join(_render_phrase(p, relaxed) for p in node.phrases) + ")"
        return f"NEAR({' '.join(_render_phrase(p) for p in node.phrases)}, {node.distance})"
    if relaxed and node.operator == "NOT":
        return _render(node.left, relaxed)
    return f"({_render(node.left, relaxed)} {node.operator} {_render(node.right, relaxed)})"


def _render_phrase(phrase: Phrase, relaxed: bool = False) -> str:
    if relaxed and any(word.prefix for word in phrase.words):
        # Each word on its own, the prefixes shortened: a superset of the phrase, found by stems.
        return "(" + " AND ".join(_string(_relaxed(word)) for word in phrase.words) + ")"
    return " + ".join(_string(word) for word in phrase.words)


def _relaxed(word: Word) -> Word:
    if not word.prefix:
        return word
    letters = re.findall(r"[^\W_]", word.text)
    return Word("".join(letters[:EXACT_PREFIX_LETTERS]), prefix=True)


def _string(word: Word) -> str:
    return '"' + word.text.replace('"', '""') + '"' + (" *" if word.prefix else "")
