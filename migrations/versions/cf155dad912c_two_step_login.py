"""two-step login

Expand only: a recovery_code table and columns with server defaults, so the previous version of
the app (which does not know them) keeps inserting users and partnerships unchanged.

Revision ID: cf155dad912c
Revises: fabbc0f8e9bb
Create Date: 2026-12-02 14:36:51.917657

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cf155dad912c'
down_revision = 'fabbc0f8e9bb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recovery_code_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_two_step', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of partnership
    # would be refused by SQLite while other tables' rows point to it.
    op.execute("ALTER TABLE user_account DROP COLUMN totp_last_step")
    op.execute("ALTER TABLE user_account DROP COLUMN totp_secret")
    op.execute("ALTER TABLE partnership DROP COLUMN require_two_step")
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))

    op.drop_table('recovery_code')
