"""Closing the loop: follow-ups of contact requests and actions on what companies said."""
