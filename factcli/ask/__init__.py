"""factcli.ask."""
