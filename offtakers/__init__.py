"""The former off-taker app, kept only for its migrations.

Its models moved to `companies`, `wholesale` and `purchasing` (same tables). Existing databases have
these migrations applied and other apps' migrations depend on them, so the app label stays installed;
its last migration removes the models from its state. `validators.py` and `account_models.py` keep
the import paths its first migrations name.
"""
