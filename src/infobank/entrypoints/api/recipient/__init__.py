"""Recipients (提供先第三者): routes called with a recipient's client token."""
