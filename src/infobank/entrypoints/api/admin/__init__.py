"""Staff of the bank: routes called with a staff token, each checking the staff role."""
