"""Other information banks (情報銀行間連携): routes that banks call on each other."""
