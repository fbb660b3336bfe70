"""A company answering: its token link, its answers, submitting once, interviews."""
