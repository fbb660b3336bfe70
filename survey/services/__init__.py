"""Use-cases: one function per thing a user does; the only layer that commits.

One package per thing the business unit does; a package imports only those below it
(tests/architecture checks that no two import each other):

- `accounts`: users, passwords and their reset, API tokens, the login throttle
- `organisation`: the municipality's name, sender and logo
- `outbox`: the mail queue and its delivery
- `batteries`: question batteries: load, build, edit, version, publish
- `register`: companies (one by one or imported), visits, a company's page
- `statistics`: the answers' statistics: data fetched once, indices, rollups, the funnel
- `dashboards`: what each dashboard page shows and may conclude
- `surveys`: surveys, recipients, invitations, reminders, progress
- `respondents`: a company answering through its link; interviews; contact requests
- `followups`: follow-ups of contact requests, actions and their effect measures
- `exports`, `imports`: CSV out and in
- `privacy`: personal data, retention, erasure
- `audit.py` (the audit trail every use-case writes) and `errors.py` (DomainError, NotFound)
"""
