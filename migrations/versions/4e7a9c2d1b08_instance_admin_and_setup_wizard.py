"""instance admin and setup wizard

Expand only: two columns with server defaults, so the previous version of the app (which does not
know them) keeps inserting users and partnerships unchanged: its users are no beheerder and its
partnerships are not in the wizard.

Revision ID: 4e7a9c2d1b08
Revises: 0ca6825abb94
Create Date: 2026-12-02 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e7a9c2d1b08'
down_revision = '0ca6825abb94'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_instance_admin', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('setup_step', sa.String(length=20), server_default='', nullable=False))


def downgrade():
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of partnership
    # would be refused by SQLite while other tables' rows point to it.
    op.execute("ALTER TABLE partnership DROP COLUMN setup_step")
    op.execute("ALTER TABLE user_account DROP COLUMN is_instance_admin")
