"""factcli: curated, sourced facts at the command line.

The public API is re-exported lazily so that ``import factcli`` (which every
command pays for) costs nothing beyond this file.
"""

__version__ = "0.2.0"

__all__ = ["Fact", "DateSpan", "Query", "FactcliError", "open_view", "__version__"]


def __getattr__(name: str):  # PEP 562: import the core only when asked for
    if name in ("Fact", "DateSpan"):
        from factcli import model

        return getattr(model, name)
    if name == "Query":
        from factcli.query import Query

        return Query
    if name == "FactcliError":
        from factcli.errors import FactcliError

        return FactcliError
    if name == "open_view":
        from factcli.store import open_view

        return open_view
    raise AttributeError(name)
