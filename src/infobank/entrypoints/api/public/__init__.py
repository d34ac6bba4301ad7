"""Unauthenticated reads: anyone may call them, without a token."""
