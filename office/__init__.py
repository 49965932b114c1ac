"""Shared use of the app by an office: accounts and roles, the audit log, per-user history, managed reports.

Nothing here imports Gradio: these are the records, stores and jobs that the pages in
``ui/`` (and the ``python -m office.users`` command) work with. Every store lives in
``Settings.data_dir``; see docs/office.md.
"""
