"""Sources (情報提供元): routes called with a source's client token."""
