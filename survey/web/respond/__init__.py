"""The public respondent pages behind a personal token link (/s/<token>)."""
