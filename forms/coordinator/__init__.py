"""The coordinator's forms, one module per subject, as in `wijkapp/audiences/coordinator/`."""

