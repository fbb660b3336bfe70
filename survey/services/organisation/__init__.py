"""The municipality's identity: its name, sender and logo on pages and mail."""
