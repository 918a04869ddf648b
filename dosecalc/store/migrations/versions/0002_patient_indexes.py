"""Index plans and prior treatment by patient: the ledger reads them for one patient at a time.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_plans_patient", "plans", ["patient_id"])
    op.create_index("ix_prior_chemotherapy_patient", "prior_chemotherapy", ["patient_id"])
    op.create_index("ix_prior_radiotherapy_patient", "prior_radiotherapy", ["patient_id"])


def downgrade() -> None:
    op.drop_index("ix_prior_radiotherapy_patient", "prior_radiotherapy")
    op.drop_index("ix_prior_chemotherapy_patient", "prior_chemotherapy")
    op.drop_index("ix_plans_patient", "plans")
