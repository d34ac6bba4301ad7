"""The person's pages: their data, offers, consents, account, Mynaportal and the help desk."""
