"""The JSON file backend: a TinyDB JSON file (:mod:`.file`), written by atomic
replacement under a lock (:mod:`.atomic`), changed through :mod:`.change`, read
whole or through its derived SQLite index (:mod:`.index`), served to the view by
:class:`~factcli.store.jsonfile.backend.JsonFileBackend`."""

from factcli.store.jsonfile.backend import JsonFileBackend

__all__ = ["JsonFileBackend"]
