"""The mail queue: messages waiting, their delivery and what became of each."""
