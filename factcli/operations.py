"""What the commands do, as functions over a :class:`~factcli.store.View`. No click, no rich.

Each write validates first, then runs inside one locked transaction that checks
the fresh file for duplicates and id clashes before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from factcli.errors import InvalidInput, NotFound, Setting, WriteFailed
from factcli.model import Fact, input_hints, source_from_text, validate
from factcli.paths import PACKAGE_DIR
from factcli.text import counted, listed
from factcli.query import AliasIndex, Query, Result, did_you_mean
from factcli.store.base import Progress, SearchTexts, open_backend
from factcli.store.overlay import View
from factcli.store.cache import derived_data_version

if TYPE_CHECKING:
    from factcli.store.base import Writer


class ImportRejected(InvalidInput):
    """Some rows of an import are invalid; nothing was imported."""

    def __init__(self, problems: list[tuple[int, str]], name: str, message: str | None = None) -> None:
        self.problems = problems
        if message is not None:
            super().__init__(message)
        else:
            super().__init__(
                f"{name}: {len(problems)} bad row(s); nothing was imported (fix them, or pass ",
                Setting("skip_invalid"),
                ")",
            )


def search(view: View, query: Query, need_total: bool = True) -> tuple[Result, list[str]]:
    """The matching facts, and "did you mean" suggestions when there are none."""
    aliases, texts = search_context(view)
    result = view.search(query, aliases, need_total, texts)
    hints: list[str] = []
    if not result.total and (query.terms or query.who or query.what):
        from factcli.text import words

        asked = [w for t in (*query.terms, *query.who, *query.what) for w in words(t)]
        hints = did_you_mean(query, view.vocabulary(asked, texts), aliases)
    return result, hints


def search_cache_version() -> tuple[Any, ...]:
    """What the search cache was derived by (see :func:`derived_data_version`), and
    which files are read through an index (their texts are not kept)."""
    import os

    from factcli.query import SEARCH_TEXT_VERSION

    modules = ("text", "query", "countries", "model", "store.overlay", "store.jsonfile.backend")
    return (*derived_data_version(SEARCH_TEXT_VERSION, *modules), os.environ.get("FACTCLI_INDEX", ""))


def search_context(view: View) -> tuple[AliasIndex, SearchTexts]:
    """What every search folds text for: the country name table, the alias index and
    the search texts of the facts of small files.

    Folding them costs more than the search itself on the curated facts (about
    5 ms of a 25 ms run), so they are cached between runs, keyed on the database
    files (path, size, times, inode), the ISO data and the code that derived them.
    """
    from factcli import countries

    version = search_cache_version()
    cached = view.read_cache("search", version)
    if cached is not None:
        try:
            country_tables, alias_state, texts = cached
            aliases = AliasIndex.restore(alias_state)
            countries.restore_tables(country_tables)
            return aliases, texts
        except (TypeError, ValueError):
            pass  # not what this code writes: build afresh
    aliases = view.aliases()
    texts = view.search_texts()
    view.write_cache("search", version, (countries.tables_state(), aliases.state(), texts))
    return aliases, texts


def ask(view: View, question: str):
    """Answer a question in plain English from the facts (see :mod:`factcli.ask.answer`).

    The facts as read for answering (words, stems, names, and the facts
    themselves) are cached between runs, keyed on the database files (path,
    size, time, inode) and the program's version, so a question costs no more
    than a search.
    """
    from factcli.ask.answer import INDEX_FORMAT, Corpus, answer_with

    if not question.strip():
        raise InvalidInput("the question is empty")
    words = len(question.split())
    if words > MAX_QUESTION_WORDS or len(question) > 20 * MAX_QUESTION_WORDS:
        # reading costs grow faster than the question (10,000 words took 24 s): a question is short
        raise InvalidInput(
            f"the question is too long ({words:,} words; at most {MAX_QUESTION_WORDS}); ask it in fewer words, or search"
        )
    if view.pooled():  # too large to read whole: read the facts its index ranks best
        from factcli.ask.reading import pool_terms

        aliases = view.aliases()
        return answer_with(Corpus(view.pool(pool_terms(question, aliases), ASK_POOL), aliases), question)
    version = derived_data_version(INDEX_FORMAT, *ask_modules())
    index = Corpus.restore(view.read_cache("ask-index", version))  # valid while the files are unchanged
    if index is None:
        index = Corpus(view.facts(), view.aliases())
        view.write_cache("ask-index", version, index.state())
    return answer_with(index, question)


# How many facts of an indexed file `ask` reads: those FTS5 ranks best for the
# question's words and names. Measured with tests/ask_eval (135 questions): the
# curated facts through the index answer as when read whole (dev 104/105, hold-out
# 19/30); mixed with 10k generated facts, 101/105 with 2 confidently wrong through
# a pool of 400, against 99/105 with 5 read whole (0.09 s a question against 1.3 s).
ASK_POOL = 400
MAX_QUESTION_WORDS = 100  # four times the longest of the 955 evaluation questions (25 words)
# The core modules the cached answering index is derived by, beside every module of
# the ask package (found on disk, so that a new one cannot be left out of the stamp).
_ASK_CORE = ("words", "text", "query", "countries", "model", "dates", "choices")


def ask_modules() -> tuple[str, ...]:
    """The modules whose code the cached answering index is derived by."""
    folder = os.path.join(PACKAGE_DIR, "ask")
    own = sorted(f"ask.{name[:-3]}" for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")
    return (*own, *_ASK_CORE)


def copy(source: str, destination: str, progress: Progress | None = None) -> int:
    """Copy a whole database (facts, aliases, removed ids, edits of curated facts, the
    journal, the id counter) into a new one of any backend; how many facts."""
    from contextlib import nullcontext

    src, dest = open_backend(source), open_backend(destination)
    src.must_exist()
    if os.path.realpath(src.location) == os.path.realpath(dest.location):
        raise InvalidInput(f"{src.location} and {dest.location} are the same database")
    if dest.exists() or os.path.islink(dest.location):  # before any progress is shown
        raise InvalidInput(f"{dest.location} exists: a copy makes a new database (name another, or remove it)")
    label = f"copying {os.path.basename(src.location)} to {os.path.basename(dest.location)}"
    with (progress or (lambda _label: nullcontext(lambda n: None)))(label) as advance:
        return dest.restore(src.records(), advance)


def init(location: str, with_curated: bool = False, progress: Progress | None = None) -> tuple[bool, int]:
    """Make the factcli schema in a server database (and, with ``with_curated``, load the
    curated facts into it, with their ids, each with the record of its version): whether
    it was made, and how many facts were loaded. A database that has the schema is left
    as it is (see :func:`merge_curated` for a newer release)."""
    from contextlib import nullcontext

    from factcli.paths import curated_path
    from factcli.store.base import doc_digest

    dest = open_backend(location)
    if not with_curated:
        return dest.init(), 0
    if dest.exists():
        raise InvalidInput(f"{dest.location} has a factcli database already: load a newer curated release with merge")
    src = open_backend(curated_path(), id_prefix="c")

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        loaded = []
        for table, doc in src.records():
            if table == "meta":  # the team's own facts are numbered apart from the curated c1, c2, …
                doc = doc | {"id_prefix": dest.id_prefix, "next_id": 1}
            elif table == "facts":
                loaded.append({"id": doc["id"], "curated": doc_digest(doc)})
            if table != "history":
                yield table, doc
        for record in loaded:  # the version each was loaded from: what a merge compares with
            yield "edits", record

    with (progress or (lambda _label: nullcontext(lambda n: None)))("loading the curated facts") as advance:
        return True, dest.restore(records(), advance)


def merge_curated(location: str) -> dict[str, list[str]]:
    """Merge the installed curated release into a shared database loaded with an earlier
    one (RowWriter.merge_curated): ids by outcome, conflicts with the team's edits reported."""
    from factcli.paths import curated_path

    dest = open_backend(location)
    dest.must_exist()
    release = open_backend(curated_path(), id_prefix="c").facts()

    def change(tx: Any) -> dict[str, list[str]]:
        if not hasattr(tx, "merge_curated"):
            raise InvalidInput(f"{dest.location} is a {dest.kind}: the curated facts are merged into server databases")
        report = tx.merge_curated(release)
        tx.summary = f"merge the curated facts ({len(report['added'])} added, {len(report['updated'])} updated)"
        return report

    return dest.write(None, change)


def find(view: View, fact_id: str) -> Fact | None:
    """The fact with this id; ids are matched without regard to case when no id is
    exactly it (`show C1` is c1)."""
    fact = view.get(fact_id)
    if fact is None and fact_id != fact_id.lower():
        fact = view.get(fact_id.lower())
    return fact


def get(view: View, fact_id: str) -> Fact:
    fact = find(view, fact_id)
    if fact is None:
        raise NotFound(f"no fact with id {fact_id}")
    return fact


def _validated(raw: Mapping[str, Any]) -> Fact:
    checked = validate(raw)
    if checked.fact is None:
        raise InvalidInput("; ".join(checked.errors) + "; nothing was changed")
    return checked.fact


def _refuse_duplicate(change: Writer, fact: Fact) -> None:
    same = change.duplicate_of(fact)
    if same is not None:
        raise InvalidInput(f"fact {same} already says this (same who, what, when and country); nothing was added")


def add(view: View, raw: Mapping[str, Any]) -> Fact:
    fact = _validated({k: v for k, v in raw.items() if k != "id"})

    def change(tx: Writer) -> Fact:
        _refuse_duplicate(tx, fact)
        added = tx.add([fact])[0]
        tx.summary = f"add {added.id}"
        return added

    return view.write(change)


#: What an edit can change, as the settings an error names.
EDIT_SETTINGS = ("who", "what", "when", "country", "source", "remove_source", "note", "tag", "untag")


def _each(names: Sequence[str]) -> list[str | Setting]:
    """Settings named one after another: " `who` `what` …"."""
    return [part for name in names for part in (" ", Setting(name))]


class Edit:
    """Changes to apply to facts: fields to set, sources and tags to add or drop."""

    def __init__(
        self,
        set_fields: dict[str, Any] | None = None,
        add_sources: tuple[str | Mapping[str, str], ...] = (),
        add_tags: tuple[str, ...] = (),
        remove_tags: tuple[str, ...] = (),
        remove_sources: tuple[str, ...] = (),
    ) -> None:
        self.set_fields = set_fields or {}
        self.add_sources = add_sources
        self.add_tags = add_tags
        self.remove_tags = remove_tags
        self.remove_sources = remove_sources

    def __bool__(self) -> bool:
        return bool(self.set_fields or self.add_sources or self.add_tags or self.remove_tags or self.remove_sources)

    def apply(self, fact: Fact) -> dict[str, Any]:
        """The fact's new record. A source already there is not added again; a source
        to remove is named by its URL or title, and must be there."""
        raw = fact.to_dict()
        raw.update(self.set_fields)
        sources = list(raw["sources"])
        for wanted in self.remove_sources:
            key = wanted.strip()
            kept = [s for s in sources if key not in (s.get("url"), s.get("title"))]
            if len(kept) == len(sources):
                raise InvalidInput(f"{fact.id} has no source with the URL or title {key!r}; nothing was changed")
            sources = kept
        for given in self.add_sources:
            new = source_from_text(given) if isinstance(given, str) else dict(given)
            if not any(_same_source(new, s) for s in sources):
                sources.append(new)
        raw["sources"] = sources
        tags = [t for t in raw["tags"] if t not in self.remove_tags]
        raw["tags"] = tags + [t for t in self.add_tags if t not in tags]
        return raw


def _same_source(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    """Whether a source given on the command line is one the fact already has
    (the same URL, or with no URL the same title)."""
    if new.get("url"):
        return new.get("url") == old.get("url")
    return bool(new.get("title")) and new.get("title") == old.get("title") and not old.get("url")


def edit(view: View, ids: Sequence[str], changes: Edit) -> list[Fact]:
    if not changes:
        raise InvalidInput("nothing to change: give at least one of", *_each(EDIT_SETTINGS))
    read = {f.id: f for f in _known(view, ids)}
    ids = list(read)

    def change(tx: Writer) -> list[Fact]:
        done = []
        if len(ids) > 1:  # index every fact once, rather than scan them all for each id
            tx.expect_many()
        for fact_id in ids:
            current = tx.get(fact_id)
            if current is None:
                raise NotFound(f"no fact with id {fact_id}; nothing was changed")
            if current != read[fact_id]:  # another write changed it since it was read: not last-writer-wins
                raise WriteFailed(
                    f"fact {fact_id} was changed by another write meanwhile; nothing was changed (run the edit again)"
                )
            new = _validated(changes.apply(current))
            _refuse_duplicate(tx, new)
            done.append(tx.replace(new))
        tx.summary = f"edit {listed(list(ids))}"
        return done

    return view.write(change)


def remove(view: View, ids: Sequence[str]) -> list[Fact]:
    facts = _known(view, ids)
    ids = [f.id for f in facts]

    def change(tx: Writer) -> None:
        for fact_id in ids:
            tx.remove(fact_id)
        tx.summary = f"rm {listed(list(ids))}"

    view.write(change)
    return facts


def revert(view: View, ids: Sequence[str]) -> list[tuple[str, str]]:
    """Drop the user's copies and tombstones of curated facts: each shows as curated
    now. Returns (id, "edit" or "removal") for each."""
    if not ids:
        raise InvalidInput("no ids given")
    curated = view.curated_ids()
    ids = list(dict.fromkeys(i if curated is None or i in curated else i.lower() for i in ids))

    def change(tx: Writer) -> list[tuple[str, str]]:
        done = [(fact_id, tx.revert(fact_id)) for fact_id in ids]
        tx.summary = f"revert {listed(list(ids))}"
        return done

    return view.write(change)


def undo(view: View) -> dict[str, Any]:
    """Undo the last write to the writable file (see :meth:`Writer.undo_last`)."""
    return view.write(lambda tx: tx.undo_last())


def history(view: View) -> list[dict[str, Any]]:
    """The journaled writes of the writable file, newest first."""
    return view.history()


def _known(view: View, ids: Sequence[str]) -> list[Fact]:
    if not ids:
        raise InvalidInput("no ids given")
    found = [find(view, i) for i in ids]
    unknown = [i for i, f in zip(ids, found) if f is None]
    if unknown:
        raise NotFound(f"no fact with id {', '.join(unknown)}; nothing was changed")
    return list({f.id: f for f in found if f is not None}.values())


def _entity_record(i: int, record: Any) -> tuple[Any, str | None]:
    """One record of `alias import` as an Entity, or why it cannot be one."""
    from factcli.model import ENTITY_KINDS
    from factcli.query import Entity
    from factcli.text import first_unsafe, normalise

    if not isinstance(record, Mapping):
        return None, "expected an object"
    name = record.get("name")
    aliases = record.get("aliases", [])
    stands_for = record.get("stands_for", [])
    kind = record.get("kind", "")
    unknown = set(record) - {"name", "kind", "aliases", "stands_for"}
    lists_ok = all(
        isinstance(x, list) and all(isinstance(a, str) and a.strip() for a in x) for x in (aliases, stands_for)
    )
    if unknown or not isinstance(name, str) or not name.strip() or not lists_ok:
        return None, 'expected {"name": text, "kind": text, "aliases": [text, …], "stands_for": [text, …]}'
    if kind not in ("", None, *ENTITY_KINDS):
        return None, f"kind {kind!r} is not one of {', '.join(ENTITY_KINDS)}"
    for text in (name, *aliases, *stands_for):
        bad = first_unsafe(text)
        if bad is not None or len(text) > 1000:
            return None, f"{text[:40]!r} cannot be stored as a name"
        if not normalise(text):  # "—" folds to nothing: it would name everything
            return None, f"{text[:40]!r} has no letter or digit to search by"
    return Entity(
        name.strip(), str(kind or ""), tuple(a.strip() for a in aliases), tuple(a.strip() for a in stands_for)
    ), None


def add_aliases(view: View, records: Iterable[Mapping[str, Any]]) -> int:
    """Merge entity records into the writable file: new names join existing ones.

    A name that already belongs to another entity is refused (it would collide).
    """
    from factcli.query import Entity
    from factcli.text import normalise

    wanted: list[Entity] = []
    problems: list[tuple[int, str]] = []
    for i, record in enumerate(records, 1):
        entity, problem = _entity_record(i, record)
        if problem:
            problems.append((i, problem))
        elif entity is not None:
            wanted.append(entity)
    if problems:  # every bad record, as import reports every bad row
        raise ImportRejected(
            problems, "aliases", f"{counted(len(problems), 'bad entity', 'bad entities')}; nothing was changed"
        )

    def change(tx: Writer) -> int:
        current = {e.name: e for e in tx.entities()}
        owner = {normalise(n): e.name for e in current.values() for n in e.names}
        for entity in wanted:
            old = current.get(entity.name)
            names = list(old.aliases) if old else []
            stand_ins = list(old.stands_for) if old else []
            stand_ins += [a for a in entity.stands_for if a not in stand_ins and a != entity.name]
            names = [a for a in names if a not in stand_ins]  # a name said to stand for it moves there
            names += [a for a in entity.aliases if a not in names and a not in stand_ins and a != entity.name]
            for n in (entity.name, *names, *stand_ins):
                other = owner.get(normalise(n))
                if other is not None and other != entity.name:
                    raise InvalidInput(f"{n!r} already names {other!r}; nothing was changed")
                owner[normalise(n)] = entity.name
            merged = Entity(entity.name, entity.kind or (old.kind if old else ""), tuple(names), tuple(stand_ins))
            current[entity.name] = merged
            tx.set_entity(merged)
        tx.summary = f"alias: {counted(len(wanted), 'entity', 'entities')} ({listed([e.name for e in wanted])})"
        return len(wanted)

    return view.write(change)


def remove_aliases(view: View, name: str, names: Sequence[str]) -> list[str] | None:
    """Take ``names`` (all, when empty) from the entity ``name``; returns its other
    names left, or None when the user's own entity went entirely."""
    from factcli.text import normalise

    def change(tx: Writer) -> list[str] | None:
        entity = next((e for e in tx.entities() if normalise(e.name) == normalise(name)), None)
        if entity is None:
            raise NotFound(f"no entity named {name!r} (factcli alias list shows them)")
        own = (*entity.aliases, *entity.stands_for)
        unknown = [n for n in names if normalise(n) not in {normalise(o) for o in own}]
        if unknown:
            raise InvalidInput(
                f"{entity.name!r} has no other name {', '.join(map(repr, unknown))}; nothing was changed"
            )
        gone = {normalise(n) for n in names} if names else {normalise(o) for o in own}
        curated = any(e.name == entity.name for e in tx.base_entities)
        tx.summary = f"alias rm {entity.name}" + (f" ({', '.join(names)})" if names else "")
        if not curated and not names:
            tx.delete_entity(entity.name)
            return None
        kept = entity._replace(
            aliases=tuple(a for a in entity.aliases if normalise(a) not in gone),
            stands_for=tuple(a for a in entity.stands_for if normalise(a) not in gone),
        )
        tx.set_entity(kept)
        return [*kept.aliases, *kept.stands_for]

    return view.write(change)


class AddedIds:
    """The ids an import added, in order, in 8 bytes each while they are plain numbers
    ("1", "2", …, a million of them in 8 MB, not 60), as strings once one is not."""

    def __init__(self) -> None:
        from array import array

        self._numbers: array[int] | None = array("q")
        self._texts: list[str] = []

    def __iadd__(self, ids: Iterable[str]) -> AddedIds:
        for fact_id in ids:
            if self._numbers is not None:
                number = int(fact_id) if fact_id.isascii() and fact_id.isdigit() else -1
                if 0 <= number < 2**63 and fact_id == str(number):
                    self._numbers.append(number)
                    continue
                self._texts, self._numbers = [str(n) for n in self._numbers], None
            self._texts.append(fact_id)
        return self

    def __len__(self) -> int:
        return len(self._numbers) if self._numbers is not None else len(self._texts)

    def __iter__(self) -> Iterator[str]:
        return (str(n) for n in self._numbers) if self._numbers is not None else iter(self._texts)

    def __getitem__(self, i: int) -> str:
        return str(self._numbers[i]) if self._numbers is not None else self._texts[i]


class ImportReport:
    """What an import did."""

    def __init__(self) -> None:
        self.added = AddedIds()  # the ids of the facts added (or, in a dry run, that would be)
        self.unchanged = 0  # rows that are facts already in the database
        self.skipped: list[tuple[int, str]] = []  # bad rows left out (--skip-invalid)
        self.doubts: list[tuple[int, str]] = []  # rows imported with a warning (a who like Q42)


def import_rows(
    view: View,
    rows: Iterable[Any],
    *,
    name: str,
    mapping: Mapping[str, str] | None = None,
    default_source: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Validate the rows and store the good ones, in one write, all or nothing.

    Rows are read as they come (a stream of any length): a backend that writes
    rows cheaply takes them in batches inside its transaction, which a bad row
    (unless ``skip_invalid``) rolls back whole; every bad row is reported.
    """

    validated: Iterable[tuple[int, Fact | None, str]] = _validated_rows(rows, mapping, default_source)
    if not view.streams_imports():  # read and checked whole before the write (and its lock) begins
        validated = list(validated)

    def change(tx: Writer) -> ImportReport:
        report = ImportReport()
        problems: list[tuple[int, str]] = []
        placing = _Placing(tx)
        fresh: list[Fact] = []
        seen = 0
        for chunk in _chunks(validated, tx.batch_size or _CHUNK):
            if seen < _MANY <= seen + len(chunk):
                tx.expect_many()
            seen += len(chunk)
            placed = [(fact, fact.identity()) for _, fact, _ in chunk if fact is not None]
            tx.prefetch(placed)
            identities = iter(placed)
            for line, fact, problem in chunk:
                if fact is not None:
                    problem = placing.problem(line, fact, next(identities)[1])
                if problem == _UNCHANGED:
                    report.unchanged += 1
                elif problem:
                    problems.append((line, problem))
                else:
                    fresh.append(fact)  # type: ignore[arg-type]
                    report.doubts += [(line, hint) for hint in input_hints(fact)]  # type: ignore[arg-type]
            if tx.batch_size and fresh and not dry_run:
                report.added += [f.id for f in tx.add(fresh)]
                fresh = []
                placing.stored()
        if problems and not skip_invalid:
            problems.sort()
            raise ImportRejected(problems, name)
        report.skipped = sorted(problems)
        if fresh and not dry_run:
            report.added += [f.id for f in tx.add(fresh)]
        elif fresh:
            report.added += [f.id for f in fresh]
        if report.added and not dry_run:
            tx.summary = f"import {len(report.added)} fact{'' if len(report.added) == 1 else 's'} from {name}"
        return report

    return view.write(change, commit=not dry_run)


_UNCHANGED = "\0unchanged"  # a row that is a fact the database holds already
_CHUNK = 2_000  # rows placed at a time where the backend takes every add in one call
_MANY = 17  # from this many rows on, an import tells the write to expect many


def _chunks(rows: Iterable[tuple[int, Fact | None, str]], size: int) -> Iterator[list[tuple[int, Fact | None, str]]]:
    """The rows in lists of ``size`` (the last may be shorter), as they come."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _validated_rows(
    rows: Iterable[Any], mapping: Mapping[str, str] | None, default_source: str | None
) -> Iterator[tuple[int, Fact | None, str]]:
    """Each row as (line, the fact, "") or (line, None, what is wrong with it)."""
    from factcli.importer import apply_map

    for row in rows:
        if "__error__" in row.data:
            yield row.line, None, row.data["__error__"]
            continue
        data = apply_map(row.data, mapping) if mapping else dict(row.data)
        if default_source and not data.get("sources"):
            data["sources"] = [source_from_text(default_source)]
        checked = validate(data)
        if checked.fact is None:
            yield row.line, None, "; ".join(checked.errors)
        else:
            yield row.line, checked.fact, ""


class _Placing:
    """Where each imported fact stands against the database and the rows before it.

    Remembers, for the rows not yet stored (at most a batch, or the whole import where
    it is one), a hash of each new fact's identity and each given id, with its line, and
    the facts by that hash. A row repeating one stored in an earlier batch is found in the
    database, as a fact this write added (its line is not kept: memory stays flat)."""

    def __init__(self, tx: Writer) -> None:
        self.tx = tx
        self.lines: dict[int, int] = {}  # hash of a new fact's identity → its line
        self.ids: dict[str, int] = {}  # id given in the file → its line
        self.pending: dict[int, Fact] = {}  # hash → a new fact not yet stored

    def stored(self) -> None:
        """The pending facts are stored: a repeat of them is found in the database now
        (the write knows the facts it added), and their lines are let go: memory stays
        flat however long the import."""
        self.pending.clear()
        self.lines.clear()
        self.ids.clear()

    def problem(self, line: int, fact: Fact, identity: tuple[Any, ...]) -> str:
        """ "" for a new fact (remembered), _UNCHANGED, or why the row cannot be imported
        (``identity`` is the fact's)."""
        tx = self.tx
        if fact.id and tx.was_removed(fact.id):
            return f"id {fact.id} was removed; ids are never reused (import it without its id, or `factcli revert {fact.id}` for a curated fact)"
        key = hash(identity)
        earlier = self.lines.get(key)
        if earlier is not None and self._repeats(fact, identity, key):
            return f"repeats line {earlier}"
        if fact.id and fact.id in self.ids:
            return f"id {fact.id} is also on line {self.ids[fact.id]}"
        existing = tx.get(fact.id) if fact.id else None
        if existing is not None:
            if tx.added_here(fact.id):  # an earlier row of this import, stored in a batch
                return (
                    "repeats an earlier line"
                    if existing.same_content(fact)
                    else f"id {fact.id} is also on an earlier line"
                )
            return _UNCHANGED if existing.same_content(fact) else f"id {fact.id} is already a different fact"
        other = tx.duplicate_of(fact, identity)
        if other is not None:
            return f"repeats an earlier line (fact {other})" if tx.added_here(other) else _UNCHANGED
        self.lines[key] = line
        self.pending.setdefault(key, fact)
        if fact.id:
            self.ids[fact.id] = line
        return ""

    def _repeats(self, fact: Fact, identity: tuple[Any, ...], key: int) -> bool:
        """Whether a fact whose identity's hash an earlier row had is that row's fact
        (not a hash collision): among the rows not yet stored, or stored by this write."""
        waiting = self.pending.get(key)
        if waiting is not None and waiting.identity() == identity:
            return True
        return self.tx.duplicate_of(fact, identity) is not None
