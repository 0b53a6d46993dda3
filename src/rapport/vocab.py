"""The words rapport knows: stages, channels, moods, gestures, commitment outcomes.

A leaf module with no heavy imports, so that shell completion can offer them.
"""

STAGES = ("acquaintance", "friend", "dating", "engaged", "married", "lost")
CHANNELS = ("call", "email", "meeting", "visit", "message", "letter", "other")
CHANNEL_ALIASES = {"phone": "call", "text": "message", "sms": "message", "mail": "email"}
MOODS = {"upset": -2, "frustrated": -1, "neutral": 0, "pleased": 1, "delighted": 2}
MOOD_WORDS = {value: word for word, value in MOODS.items()}
GESTURE_KINDS = ("card", "gift", "sample", "thanks", "visit", "other")
STARTERS = ("me", "them")  # who started a conversation
COMMITMENT_STATUSES = ("open", "kept", "late", "broken", "released")
