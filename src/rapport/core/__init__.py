"""The domain: people, the journal, attention, trust. Pure functions of a session and the time."""
