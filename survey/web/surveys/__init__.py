"""Surveys (utskick) for officials: create, edit, choose recipients, follow up, outbox."""
