"""The choice lists that the command line offers and the core accepts, spelt once.
Import-free: the CLI builds its options from these without loading the modules
that implement them (a test checks this module imports nothing)."""

# Output formats: every command that prints facts; `table` is drawn for a terminal.
OUTPUT_FORMATS = ("table", "tsv", "csv", "json", "jsonl", "markdown")
# What `import` reads.
INPUT_FORMATS = ("json", "jsonl", "csv", "tsv")
# What `export` writes (a file for machines: no table).
EXPORT_FORMATS = ("json", "jsonl", "csv", "tsv", "markdown")
# `ask`: a table on a terminal, the answer and its facts otherwise.
ASK_FORMATS = ("table", "tsv", "json", "jsonl", "csv")
CITE_FORMATS = ("markdown", "bibtex", "jsonld")
# The orders of `search`; "fit" depends on the date filter.
SORT_KEYS = ("when", "-when", "who", "id", "created", "fit")
# What an entity of the alias table is (`alias add --kind`, `alias import`'s "kind").
ENTITY_KINDS = ("person", "organisation", "government", "place", "other")
