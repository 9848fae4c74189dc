"""Citations of facts and their sources: Markdown, BibTeX, schema.org ClaimReview JSON-LD.

Pure: facts in, text out; no click, no rich. Each format escapes text from the
database by its own rules, so a title holding ``*``, ``{`` or ``</script>``
stays text wherever the citation is pasted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from factcli import countries
from factcli.model import Fact, Source
from factcli.text import escape_markdown

_WHITESPACE = re.compile(r"[\t\n\r\u2028\u2029]+")
# Controls and bidi marks that may sit in a hand-edited file: shown, never sent.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINKABLE = re.compile(r"^https?://", re.IGNORECASE)


def one_line(text: str) -> str:
    """Text for one line of a citation: line breaks become spaces, controls visible."""
    text = _WHITESPACE.sub(" ", text)
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    ).strip()


def _when(fact: Fact) -> str:
    return fact.when.text if fact.when else "undated"


def _country_names(fact: Fact) -> str:
    return ", ".join(countries.display_name(c) for c in fact.country)


def _safe_url(url: str) -> str:
    """A URL with the characters no URL needs raw (space, quotes, brackets, braces) percent-encoded."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


# ---------------------------------------------------------------- Markdown


def md(text: str) -> str:
    """Markdown text that renders as itself: the inline special characters escaped."""
    return escape_markdown(one_line(text))


def markdown(facts: Sequence[Fact]) -> str:
    blocks = []
    for fact in facts:
        lines = [
            f"**{md(fact.who)}** — {md(fact.what)} ({md(_when(fact))}; {md(_country_names(fact))}) \\[factcli {md(fact.id)}\\]",
        ]
        if fact.note:
            lines += ["", f"*Note:* {md(fact.note)}"]
        lines.append("")
        for i, source in enumerate(fact.sources, 1):
            lines.append(f"{i}. {_md_source(source)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _md_source(source: Source) -> str:
    title = md(source.title) if source.title else ""
    if source.url and _LINKABLE.match(source.url):
        url = _safe_url(source.url).replace("(", "%28").replace(")", "%29")
        title = f"[{title or md(source.url)}]({url})"
    elif source.url:  # not http(s): shown as text, never a link (javascript:, file:)
        title = f"{title} ({md(source.url)})" if title else md(source.url)
    parts = [title] if title else []
    if source.publisher:
        parts.append(f"*{md(source.publisher)}*")
    if source.published:
        parts.append(md(source.published))
    if source.retrieved:
        parts.append(f"retrieved {md(source.retrieved)}")
    text = ", ".join(parts)
    if source.quote:
        text += f': "{md(source.quote)}"'
    return text


# ---------------------------------------------------------------- BibTeX

_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    '"': '{"}',
}
_BIB_RE = re.compile("|".join(re.escape(c) for c in _BIB_SPECIAL))
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bib(text: str) -> str:
    """A BibTeX field value: LaTeX's special characters escaped, braces always balanced."""
    return _BIB_RE.sub(lambda m: _BIB_SPECIAL[m.group()], one_line(text))


def bib_key(text: str) -> str:
    """A fact id as part of a citation key: letters, digits, `-` and `_` only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "fact"


def bibtex(facts: Sequence[Fact]) -> str:
    """One @misc entry per source, keyed factcli:ID:N; the note says what it is cited for.

    Fields that BibTeX and biblatex both read (title, howpublished, year, month,
    url, note) and biblatex's urldate, which BibTeX ignores.
    """
    entries = []
    for fact in facts:
        about = f"{one_line(fact.who)}: {one_line(fact.what)} ({_when(fact)}; {_country_names(fact)})"
        # Text outside entries is a comment to BibTeX, but an @ would start an entry
        # (and some parsers count braces there too).
        comment = f"% factcli {one_line(fact.id)}: {about}"
        entries.append(comment.replace("@", "(at)").translate({ord("{"): "(", ord("}"): ")"}))
        for i, source in enumerate(fact.sources, 1):
            fields: list[tuple[str, str]] = []
            title = source.title or source.outlet or source.url
            fields.append(("title", "{" + bib(title) + "}"))  # double braces keep its capitals
            if source.publisher:
                fields.append(("howpublished", bib(source.publisher)))
            if source.published:
                year = source.published[:4]
                if year.isdigit():
                    fields.append(("year", year))
                    month = source.published[5:7]
                    if month.isdigit() and 1 <= int(month) <= 12:
                        fields.append(("month", _MONTHS[int(month) - 1]))
            if source.url:
                # url is verbatim in biblatex (\url in BibTeX): keep it raw, but a URL
                # can never unbalance the braces or hold a space or a backslash.
                fields.append(("url", _safe_url(one_line(source.url)).replace("\\", "%5C")))
            if source.retrieved:
                fields.append(("urldate", bib(source.retrieved)))
            note = f"Cited for: {about}"
            note = bib(note)
            if source.quote:
                note += f". Quote: ``{bib(source.quote)}''"
            fields.append(("note", note))
            width = len("howpublished")  # the longest field name: every entry aligned alike
            body = ",\n".join(
                f"  {name.ljust(width)} = " + (value if name == "month" else "{" + value + "}")
                for name, value in fields
            )
            entries.append(f"@misc{{factcli:{bib_key(fact.id)}:{i},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


# ---------------------------------------------------------------- schema.org ClaimReview


def claim_review(fact: Fact) -> dict:
    """A schema.org ClaimReview: the fact is the claim, its sources where it appears.

    factcli does not grade claims; the rating says what factcli knows: that the
    claim is stated in the sources listed (``Sourced``).
    """
    appearances = []
    for source in fact.sources:
        work: dict = {"@type": "CreativeWork"}
        if source.title:
            work["headline"] = source.title
        if source.url:
            work["url"] = source.url
        if source.publisher:
            work["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.published:
            work["datePublished"] = source.published
        if source.quote:
            work["text"] = source.quote
        appearances.append(work)
    claim: dict = {
        "@type": "Claim",
        "about": {"@type": "Thing", "name": fact.who},
        "appearance": appearances,
        "spatialCoverage": [
            {"@type": "Country", "name": countries.display_name(code), "identifier": code} for code in fact.country
        ],
    }
    if fact.when:
        claim["temporalCoverage"] = fact.when.text
    published = sorted(s.published for s in fact.sources if s.published)
    if published:
        claim["datePublished"] = published[0]
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": f"factcli:{fact.id}",
        "claimReviewed": f"{fact.who}: {fact.what}",
        "itemReviewed": claim,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Sourced",
            "ratingExplanation": f"Stated in {len(fact.sources)} source(s), listed as the claim's appearances.",
        },
    }
    if fact.note:
        review["reviewBody"] = fact.note
    if fact.created:
        review["datePublished"] = fact.created
    if fact.updated:
        review["dateModified"] = fact.updated
    return review


def jsonld(facts: Sequence[Fact]) -> str:
    """One ClaimReview, or several in an @graph. Safe inside <script type="application/ld+json">:
    <, > and & are written as \\u escapes, as are line separators and controls."""
    if len(facts) == 1:
        data: dict = claim_review(facts[0])
    else:
        data = {"@context": "https://schema.org", "@graph": []}
        for fact in facts:
            review = claim_review(fact)
            review.pop("@context")
            data["@graph"].append(review)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return (
        re.sub("[<>&\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text)
        + "\n"
    )


CITE_FORMATS: dict[str, Callable[[Sequence[Fact]], str]] = {
    "markdown": markdown,
    "bibtex": bibtex,
    "jsonld": jsonld,
}
