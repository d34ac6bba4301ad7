"""The staff console: vetting recipients, ethics review, offers, the help desk, usage, incidents."""
