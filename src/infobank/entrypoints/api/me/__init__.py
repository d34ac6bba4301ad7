"""The person's own (本人): routes a person calls about themselves, mostly with their token."""
