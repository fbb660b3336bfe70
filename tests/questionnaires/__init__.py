"""Tests of survey.questionnaires: the battery file format."""
