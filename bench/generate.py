#!/usr/bin/env python3
"""Make synthetic factcli databases for the benchmarks: deterministic, realistic, large.

    python bench/generate.py 1k 10k 100k [1m] [--out bench/out/data] [--seed 5]

For each size N it writes, in --out:

* ``facts-<size>.json``  a factcli database (TinyDB JSON, tables meta/facts/aliases/
  removed) byte for byte as factcli's store writes it: ``json.dumps(data, indent=2,
  sort_keys=True, ensure_ascii=False) + "\\n"``, ids ``1``..``N`` (prefix "", the
  counter in meta at N+1), TinyDB document ids equal to the fact ids;
* ``facts-<size>.jsonl`` the same facts as JSON lines, exactly what
  ``factcli --db facts-<size>.json export`` prints (for jq, ``factcli import`` and
  ``sqlite-utils insert --nl``);
* ``facts-<size>.stamp`` what was generated (seed, N, generator checksum, timings),
  so that a second run with the same arguments reuses the files.

Facts are built as dicts in the shape of ``Fact.to_dict()`` (date spans from
factcli's own ``parse_date``) and checked against factcli's validator: every fact
up to ``--validate-all`` facts (default 100k), else a sample, must come out of
``validate(doc).fact.to_dict()`` unchanged. The database is streamed (JSON lines
first, then copied into the store's key order): a million facts take about 90 s and
250 MB of memory on 2 cores.

The facts of a smaller size are a prefix of those of a larger one (same seed).
The generator is pure Python and single-threaded: it needs factcli importable
(run it with factcli's interpreter, e.g. ``/tmp/venv/bin/python``).
"""

from __future__ import annotations

import argparse
import array
import calendar
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:  # the installed factcli (the one being measured), else this checkout's
    import factcli  # noqa: F401
except ImportError:
    sys.path.insert(0, str(HERE.parent))

from factcli import countries  # noqa: E402
from factcli.dates import parse_date  # noqa: E402
from factcli.model import validate  # noqa: E402
from factcli.store.jsonfile.file import new_database  # noqa: E402
from factcli.text import normalise  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}

# ---------------------------------------------------------------- vocabulary

FIRST = (
    "Zoran Recep Évariste Ana Olena Volodymyr Emmanuel Olaf Giorgia Pedro Lula Cyril Abiy Bola "
    "William Samia Paul Yoweri Hakainde Félix Ali Mohammed Abdel Kassym-Jomart Shavkat Emomali "
    "Serdar Sadyr Nikol Ilham Irakli Maia Aleksandar Edi Milo Jakov Andrej Zuzana Petr Viktor "
    "Katalin Klaus Mette Ulf Sanna Alar Gitanas Egils Kaja Jens Leo Simon Micheál Pedro António "
    "Marcelo Luís Xiomara Nayib Bernardo Gustavo Daniel Nicolás Javier Dina Gabriel Luis Claudia "
    "Andrés Justin Anthony Christopher Jacinda Chris Fumio Shigeru Yoon Lee Moon Tsai Lai Xi Li "
    "Narendra Shehbaz Imran Sheikh Muhammad Ranil Anura Pushpa Lotay Ebrahim Masoud Hassan Recep "
    "Kemal Bashar Ahmed Najib Mahmoud Isaac Benjamin Yair Naftali Abdullah Mohammad Hibatullah "
    "Amir Zabihullah Sirajuddin Gul Mullah Hamid Ashraf Asif Nawaz Ghulam Aung Min Hun Anwar "
    "Prabowo Joko Ferdinand Rodrigo Pham To Thongloun Halimah Tharman Lawrence Vladimir Sergei "
    "Dmitry Maria Ramzan Alexander Mikheil Salome Nino Ursula Charles Roberta Josep Kaja Jens "
    "Mark António Antonio Tedros Kristalina Ngozi Amina Achim Filippo Rafael Agnès Catherine"
).split()
LAST = (
    "Milanović Erdoğan Ndayishimiye Zelenskyy Svyrydenko Macron Scholz Meloni Sánchez da_Silva "
    "Ramaphosa Ahmed Tinubu Ruto Hassan Kagame Museveni Hichilema Tshisekedi Bongo Sisi Tebboune "
    "Tokayev Mirziyoyev Rahmon Berdimuhamedow Japarov Pashinyan Aliyev Kobakhidze Zourabichvili "
    "Vučić Rama Đukanović Milatović Plenković Babiš Čaputová Fiala Orbán Novák Iohannis Frederiksen "
    "Kristersson Marin Karis Nausėda Rinkēvičs Kallas Stoltenberg Varadkar Harris Martin Costa "
    "Rebelo_de_Sousa Montenegro Castro Bukele Arévalo Petro Ortega Maduro Milei Boluarte Boric "
    "Noboa Sheinbaum López_Obrador Trudeau Albanese Luxon Hipkins Kishida Ishiba Suk-yeol Jae-myung "
    "Ing-wen Ching-te Jinping Qiang Modi Sharif Khan Hasina Yunus Wickremesinghe Dissanayake Dahal "
    "Tobgay Raisi Pezeshkian Rouhani Kılıçdaroğlu Assad al-Sharaa Mikati Abbas Herzog Netanyahu "
    "Lapid Bennett Akhundzada Mujahid Haqqani Hassan Baradar Karzai Ghani Muttaqi Zardari Munir "
    "Suu_Kyi Hlaing Manet Ibrahim Subianto Widodo Marcos Duterte Chính Lâm Sisoulith Yacob "
    "Shanmugaratnam Wong Putin Lavrov Shoigu Medvedev Zakharova Kadyrov Lukashenko Saakashvili "
    "von_der_Leyen Michel Metsola Borrell Rutte Guterres Ghebreyesus Georgieva Okonjo-Iweala "
    "Mohammed Steiner Grandi Nadal Callamard Ashton Đorđević Schönberger Ó_Súilleabháin Nyusi "
    "Mnangagwa Hichilema Mutharika Masisi Boko Geingob Mbumba Faye Sall Ouattara Touré Traoré "
    "Goïta Tiani Déby Touadéra Kiir Burhan Dagalo Abiy Afwerki Mohamud Guelleh Bazoum Akufo-Addo "
    "Mahama Weah Boakai Bio Embaló Barrow Ghazouani Saïed Dbeibah Haftar Menfi Nasrallah Qassem"
).split()
ORGS = (
    "United Nations",
    "UN Security Council",
    "UN General Assembly",
    "UNHCR",
    "UNICEF",
    "World Bank",
    "International Monetary Fund",
    "World Health Organization",
    "World Trade Organization",
    "NATO",
    "European Union",
    "European Commission",
    "European Parliament",
    "Council of the European Union",
    "European Central Bank",
    "African Union",
    "ECOWAS",
    "ASEAN",
    "Arab League",
    "Gulf Cooperation Council",
    "Organisation of Islamic Cooperation",
    "Shanghai Cooperation Organisation",
    "BRICS",
    "Group of Seven",
    "Group of Twenty",
    "OPEC",
    "OSCE",
    "Council of Europe",
    "International Criminal Court",
    "International Court of Justice",
    "Amnesty International",
    "Human Rights Watch",
    "Médecins Sans Frontières",
    "Red Cross",
    "IAEA",
    "Interpol",
    "Europol",
    "Frontex",
    "UNESCO",
    "World Food Programme",
    "UNDP",
    "OHCHR",
    "IOM",
    "Taliban",
    "Hamas",
    "Hezbollah",
    "Houthis",
    "Wagner Group",
    "Rapid Support Forces",
    "March 23 Movement",
    "Al-Shabaab",
    "Islamic State",
    "Tehrik-i-Taliban Pakistan",
    "Islamic Emirate of Afghanistan",
    "Gazprom",
    "Rosneft",
    "Saudi Aramco",
    "Huawei",
    "TikTok",
    "Meta",
    "Google",
    "Microsoft",
    "OpenAI",
    "Reuters",
    "Associated Press",
    "BBC",
    "Al Jazeera",
    "TASS",
    "Xinhua",
    "RIA Novosti",
)
MINISTRIES = (
    "Ministry of Foreign Affairs",
    "Ministry of Defence",
    "Ministry of Finance",
    "Ministry of the Interior",
    "Central Bank",
    "Supreme Court",
    "Parliament",
    "Electoral Commission",
    "Ministry of Health",
)
VERBS = (
    "signed {obj} with {place}",
    "announced {obj}",
    "recognised {obj}",
    "rejected {obj}",
    "imposed sanctions on {target} over {issue}",
    "lifted sanctions on {target}",
    "condemned {issue} in {place}",
    "suspended {obj}",
    "ratified {obj}",
    "withdrew from {obj}",
    "opened an embassy in {place}",
    "closed its embassy in {place}",
    "appointed a new ambassador to {place}",
    "expelled diplomats from {place}",
    "hosted talks on {issue} with {target}",
    "pledged {amount} for {issue} in {place}",
    "approved a loan of {amount} to {target}",
    "deployed troops to {place}",
    "held elections amid {issue}",
    "accused {target} of {issue}",
    "met {target} in {place} to discuss {issue}",
    "released a report on {issue}",
    "declared a state of emergency over {issue}",
    "banned {thing} citing {issue}",
    "reopened the border with {place}",
    "agreed a ceasefire with {target}",
    "launched an investigation into {issue}",
    "restored relations with {place}",
    "was sworn in as {office}",
    "resigned as {office}",
    "was elected {office}",
    "was arrested on charges of {issue}",
    "raised interest rates to {rate}",
    "cut interest rates to {rate}",
    "devalued the currency amid {issue}",
    "signed a gas supply deal worth {amount} with {target}",
    "joined {obj}",
    "applied to join {obj}",
)
OBJECTS = (
    "a trade agreement",
    "a security pact",
    "a memorandum of understanding",
    "the Paris Agreement",
    "a free trade deal",
    "a nuclear cooperation accord",
    "a defence cooperation treaty",
    "a grain corridor deal",
    "a prisoner exchange agreement",
    "the Istanbul Convention",
    "a debt restructuring plan",
    "a visa waiver scheme",
    "the Rome Statute",
    "a peace framework",
    "an energy partnership",
    "a border demarcation agreement",
    "a migration compact",
    "an extradition treaty",
    "a currency swap line",
    "the Belt and Road Initiative",
)
ISSUES = (
    "human rights abuses",
    "election fraud",
    "corruption",
    "drone strikes",
    "cross-border shelling",
    "the refugee crisis",
    "food insecurity",
    "a cholera outbreak",
    "drought",
    "floods",
    "cyberattacks",
    "disinformation",
    "arms smuggling",
    "money laundering",
    "press freedom",
    "the detention of journalists",
    "women's education",
    "girls' schooling",
    "opium cultivation",
    "mining concessions",
    "oil exports",
    "gas transit",
    "the nuclear programme",
    "missile tests",
    "war crimes",
    "hostage taking",
    "piracy",
    "illegal fishing",
    "deforestation",
    "inflation",
    "the debt crisis",
    "fuel shortages",
    "power cuts",
    "border clashes",
    "a coup attempt",
    "protests",
    "a general strike",
    "constitutional reform",
    "sanctions evasion",
)
THINGS = (
    "foreign media outlets",
    "opposition parties",
    "TikTok",
    "grain exports",
    "public gatherings",
    "rallies",
    "imports of luxury goods",
    "cryptocurrency mining",
    "NGOs",
    "the sale of alcohol",
    "music in public",
)
OFFICES = (
    "president",
    "prime minister",
    "foreign minister",
    "defence minister",
    "speaker of parliament",
    "central bank governor",
    "chief justice",
    "secretary-general",
    "ambassador",
    "mayor of the capital",
)
TAGS = (
    "diplomacy",
    "recognition",
    "sanctions",
    "elections",
    "conflict",
    "ceasefire",
    "trade",
    "energy",
    "health",
    "human-rights",
    "migration",
    "economy",
    "finance",
    "security",
    "terrorism",
    "justice",
    "media",
    "climate",
    "agriculture",
    "education",
    "women",
    "treaty",
    "ambassador",
    "aid",
    "nuclear",
    "cyber",
    "protest",
    "coup",
    "corruption",
    "oil",
    "gas",
    "refugees",
    "military",
    "UN",
    "EU",
    "NATO",
    "border",
    "disaster",
)
PUBLISHERS = (
    ("Reuters", "https://www.reuters.com/world/"),
    ("Associated Press", "https://apnews.com/article/"),
    ("BBC News", "https://www.bbc.com/news/"),
    ("Al Jazeera", "https://www.aljazeera.com/news/"),
    ("TASS", "https://tass.com/world/"),
    ("Xinhua", "https://english.news.cn/"),
    ("Agence France-Presse", "https://www.afp.com/en/news/"),
    ("The Guardian", "https://www.theguardian.com/world/"),
    ("Le Monde", "https://www.lemonde.fr/en/international/"),
    ("Deutsche Welle", "https://www.dw.com/en/"),
    ("Anadolu Ajansı", "https://www.aa.com.tr/en/"),
    ("Ariana News", "https://www.ariananews.af/"),
    ("Tolo News", "https://tolonews.com/afghanistan-"),
    ("Kyiv Independent", "https://kyivindependent.com/"),
    ("Meduza", "https://meduza.io/en/news/"),
    ("Dawn", "https://www.dawn.com/news/"),
    ("The Hindu", "https://www.thehindu.com/news/international/"),
    ("Nikkei Asia", "https://asia.nikkei.com/Politics/"),
    ("Daily Maverick", "https://www.dailymaverick.co.za/article/"),
    ("Premium Times", "https://www.premiumtimesng.com/news/"),
    ("RFI", "https://www.rfi.fr/en/international/"),
    ("El País", "https://english.elpais.com/international/"),
    ("Folha de S.Paulo", "https://www1.folha.uol.com.br/internacional/en/"),
    ("Wikidata", "https://www.wikidata.org/wiki/Q"),
    ("UN News", "https://news.un.org/en/story/"),
    ("Official Journal", "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri="),
)
NOTES = (
    "Reports differ on the exact date.",
    "The figure was later revised.",
    "Denied by the other side.",
    "Confirmed by two independent outlets.",
    "The original article misspelt the name.",
    "Earlier reports gave a different number.",
    "Announced on state television.",
)
# A few countries are in the news far more than others: they get these weights.
HOT = {
    "AFG": 40,
    "RUS": 40,
    "UKR": 40,
    "USA": 35,
    "CHN": 30,
    "IRN": 20,
    "ISR": 20,
    "PSE": 15,
    "TUR": 15,
    "PAK": 15,
    "IND": 12,
    "SYR": 10,
    "SDN": 10,
    "GBR": 10,
    "FRA": 10,
    "DEU": 10,
    "HRV": 6,
    "BDI": 6,
    "SRB": 6,
    "BRA": 8,
}


def _pools(seed: int):
    """Names (persons, organisations, governments) and entities with aliases; independent of N."""
    rng = random.Random(f"pools-{seed}")
    codes = sorted(c.code for c in countries.all_countries())
    country_names = {c.code: countries.display_name(c.code) for c in countries.all_countries()}
    people: list[str] = []
    seen: set[str] = set()
    while len(people) < 3000:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST).replace('_', ' ')}"
        key = normalise(name)
        if key not in seen:
            seen.add(key)
            people.append(name)
    orgs = list(ORGS)
    for code in rng.sample(codes, 120):  # national bodies: "Croatia's Ministry of Defence"
        for body in rng.sample(MINISTRIES, 3):
            orgs.append(f"{country_names[code]}'s {body}")
    governments = [f"Government of {country_names[c]}" for c in codes]
    who = people + orgs + governments
    # Entities with other spellings: some people (ASCII spelling, initials), the organisations' acronyms.
    entities = []
    owner: set[str] = set(normalise(w) for w in who)
    for name in rng.sample(people, 400):
        first, _, last = name.partition(" ")
        alias = f"{first[0]}. {last}"
        if normalise(alias) not in owner:
            owner.add(normalise(alias))
            entities.append({"aliases": [alias], "kind": "person", "name": name})
    for name in ORGS:
        words = [w for w in name.replace("-", " ").split() if w[0].isupper()]
        alias = "".join(w[0] for w in words)
        if len(alias) >= 3 and normalise(alias) not in owner:
            owner.add(normalise(alias))
            entities.append({"aliases": [alias], "kind": "organisation", "name": name})
    weights = [HOT.get(c, 1 + (i * 7919) % 4) for i, c in enumerate(codes)]
    return who, entities, codes, weights, country_names


# ---------------------------------------------------------------- one fact


def _day(rng: random.Random, year: int) -> str:
    month = rng.randint(1, 12)
    return f"{year:04d}-{month:02d}-{rng.randint(1, calendar.monthrange(year, month)[1]):02d}"


def _point(rng: random.Random, year: int) -> str:
    r = rng.random()
    if r < 0.35:
        return f"{year:04d}"
    if r < 0.65:
        return f"{year:04d}-{rng.randint(1, 12):02d}"
    return _day(rng, year)


def _year(rng: random.Random) -> int:
    # Mostly recent: three quarters since 2000.
    return rng.randint(2000, 2025) if rng.random() < 0.75 else rng.randint(1945, 1999)


def _when(rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.05:
        return None  # undated
    if r < 0.85:
        return _point(rng, _year(rng))
    if r < 0.95:  # a closed interval, ends at any precision
        a = _year(rng)
        b = min(a + rng.choice((0, 0, 1, 2, 5)), 2025)
        left, right = _point(rng, a), _point(rng, b)
        if parse_date(left).start > parse_date(right).end:
            right = f"{b:04d}"
        if parse_date(left).start > parse_date(right).end:
            return left
        return f"{left}/{right}"
    if r < 0.99:
        return f"{_point(rng, rng.randint(2015, 2025))}/.."  # still going
    return f"../{_point(rng, rng.randint(1990, 2020))}"  # open start


class Maker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.who, self.entities, self.codes, self.weights, self.names = _pools(seed)
        self.cum = list(_accumulate(self.weights))
        self.seen: set[bytes] = set()
        self.used: set[str] = set()  # names that are some fact's who

    def entities_used(self) -> list[dict]:
        """Entities of names the facts use (`factcli check` flags an alias that points nowhere)."""
        return [e for e in self.entities if e["name"] in self.used]

    def _countries(self) -> list[str]:
        rng = self.rng
        k = rng.choices((1, 2, 3), (60, 30, 10))[0]
        out: list[str] = []
        while len(out) < k:
            code = rng.choices(self.codes, cum_weights=self.cum)[0]
            if code not in out:
                out.append(code)
        return out

    def _what(self, place: str) -> str:
        rng = self.rng
        template = rng.choice(VERBS)
        return template.format(
            obj=rng.choice(OBJECTS),
            place=place,
            target=rng.choice((rng.choice(self.who), f"the government of {self.names[rng.choice(self.codes)]}")),
            issue=rng.choice(ISSUES),
            thing=rng.choice(THINGS),
            office=rng.choice(OFFICES),
            amount=f"{rng.choice(('$', '€', '£'))}{rng.randint(1, 950)} {rng.choice(('million', 'billion'))}",
            rate=f"{rng.randint(1, 40)}.{rng.choice((0, 25, 5, 75))}%",
        )

    def fact(self, i: int) -> dict:
        rng = self.rng
        while True:
            who = rng.choice(self.who)
            country = self._countries()
            what = self._what(self.names[country[-1]])
            when = _when(rng)
            # Unique (who, what, when, countries), as factcli's duplicate check sees them.
            key = "\x1f".join((normalise(who), normalise(what), when or "", *sorted(country))).encode()
            digest = hashlib.blake2b(key, digest_size=8).digest()
            if digest not in self.seen:
                self.seen.add(digest)
                self.used.add(who)
                break
        span = parse_date(when) if when else None
        sources = []
        for _ in range(rng.choices((1, 2), (70, 30))[0]):
            publisher, base = rng.choice(PUBLISHERS)
            published = _day(rng, min(max(int(span.start[:4]) if span else 2020, 1990) + rng.randint(0, 1), 2025))
            src = {}
            if rng.random() < 0.5:
                src["title"] = f"{who} {what}"[:120].rstrip()
            src["publisher"] = publisher
            src["url"] = f"{base}{published.replace('-', '/')}/{rng.getrandbits(40):x}"
            src["published"] = published
            sources.append(src)
        tags = rng.sample(TAGS, rng.choices((0, 1, 2, 3), (20, 40, 30, 10))[0])
        created = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
        updated = created if rng.random() < 0.8 else f"2026-{created[5:]}"
        return {
            "id": str(i),
            "who": who,
            "what": what,
            "when": when,
            "when_start": span.start if span else None,
            "when_end": span.end if span else None,
            "country": country,
            "tags": tags,
            "sources": sources,
            "note": rng.choice(NOTES) if rng.random() < 0.2 else "",
            "created": created,
            "updated": updated,
        }


def _accumulate(values):
    total = 0
    for v in values:
        total += v
        yield total


def check_fact(doc: dict) -> None:
    """The dict is what factcli's validator makes of it."""
    checked = validate(doc)
    if checked.fact is None:
        raise AssertionError(f"fact {doc['id']} is invalid: {checked.errors}")
    again = checked.fact.to_dict()
    if again != doc:
        raise AssertionError(f"fact {doc['id']} changes in validation:\n{doc}\n{again}")


# ---------------------------------------------------------------- files


def _dump(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def generate(n: int, out: Path, label: str, seed: int, validate_all: int, sample_every: int) -> dict:
    t0 = time.perf_counter()
    maker = Maker(seed)
    db_path, jsonl_path = out / f"facts-{label}.json", out / f"facts-{label}.jsonl"
    tmp_db, tmp_jsonl = db_path.with_suffix(".json.part"), jsonl_path.with_suffix(".jsonl.part")
    offsets = array.array("Q")
    checked = 0
    every = 1 if n <= validate_all else sample_every
    with open(tmp_jsonl, "w", encoding="utf-8", newline="\n") as jl:
        pos = 0
        for i in range(1, n + 1):
            doc = maker.fact(i)
            if i % every == 0 or i <= 1000:
                check_fact(doc)
                checked += 1
            line = json.dumps(doc, ensure_ascii=False) + "\n"
            offsets.append(pos)
            pos += len(line.encode("utf-8"))
            jl.write(line)
    t_facts = time.perf_counter() - t0

    # The database: the store's json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False),
    # streamed. sort_keys orders the facts by their keys as strings: "1", "10", "100", …
    data = new_database("")
    data["meta"]["1"]["next_id"] = n + 1
    data["aliases"] = {str(k): e for k, e in enumerate(maker.entities_used(), 1)}
    head, sep, tail = _dump(data).partition('\n  "facts": {},\n')
    assert sep, "unexpected skeleton layout"
    with open(tmp_jsonl, "rb") as jl, open(tmp_db, "w", encoding="utf-8", newline="\n") as db:
        db.write(head + '\n  "facts": {')
        for k, key in enumerate(sorted(range(1, n + 1), key=str)):
            jl.seek(offsets[key - 1])
            doc = json.loads(jl.readline())
            db.write(("\n" if k == 0 else ",\n") + f'    "{key}": ' + _dump(doc).replace("\n", "\n    "))
        db.write(("\n  }" if n else "}") + ",\n" + tail + "\n")
    os.replace(tmp_jsonl, jsonl_path)
    os.replace(tmp_db, db_path)
    t_total = time.perf_counter() - t0
    return {
        "n": n,
        "seed": seed,
        "checked_with_validate": checked,
        "seconds_facts_and_jsonl": round(t_facts, 2),
        "seconds_total": round(t_total, 2),
        "db_bytes": db_path.stat().st_size,
        "jsonl_bytes": jsonl_path.stat().st_size,
    }


def verify_format(db_path: Path) -> None:
    """The streamed file equals what the store's json.dumps makes of its own content."""
    raw = db_path.read_bytes()
    data = json.loads(raw)
    if (_dump(data) + "\n").encode("utf-8") != raw:
        raise AssertionError(f"{db_path} is not in the store's exact format")


def _checksum() -> str:
    """This generator's code and the store's schema: files from either older are made again."""
    from factcli.layout import SCHEMA

    return hashlib.sha256(Path(__file__).read_bytes() + f"schema {SCHEMA}".encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="+", help="1k 10k 100k 1m, or a number of facts")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "data", help="directory (default: bench/out/data)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--force", action="store_true", help="regenerate even if the files are up to date")
    parser.add_argument(
        "--validate-all",
        type=int,
        default=100_000,
        metavar="N",
        help="run every fact through factcli's validate() up to N facts, else 1 in --sample-every (default 100000)",
    )
    parser.add_argument("--sample-every", type=int, default=50, metavar="K")
    parser.add_argument(
        "--verify",
        type=int,
        default=100_000,
        metavar="N",
        help="re-read databases up to N facts and check them byte for byte against json.dumps (default 100000)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        label = size.lower()
        n = SIZES.get(label)
        if n is None:
            n = int(label)
            label = str(n)
        stamp_path = args.out / f"facts-{label}.stamp"
        want = {"n": n, "seed": args.seed, "generator": _checksum()}
        if (
            not args.force
            and stamp_path.exists()
            and (args.out / f"facts-{label}.json").exists()
            and (args.out / f"facts-{label}.jsonl").exists()
        ):
            old = json.loads(stamp_path.read_text())
            if {k: old.get(k) for k in want} == want:
                print(f"{label}: up to date ({old['seconds_total']} s to generate)", file=sys.stderr)
                continue
        stamp_path.unlink(missing_ok=True)
        info = generate(n, args.out, label, args.seed, args.validate_all, args.sample_every)
        if n <= args.verify:
            verify_format(args.out / f"facts-{label}.json")
            info["verified_format"] = True
        info.update(want)
        stamp_path.write_text(json.dumps(info, indent=2) + "\n")
        print(
            f"{label}: {n} facts in {info['seconds_total']} s "
            f"(facts+jsonl {info['seconds_facts_and_jsonl']} s, {info['checked_with_validate']} validated; "
            f"db {info['db_bytes'] / 1e6:.1f} MB, jsonl {info['jsonl_bytes'] / 1e6:.1f} MB)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
