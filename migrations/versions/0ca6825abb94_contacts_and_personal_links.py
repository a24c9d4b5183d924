"""contacts and personal links

Expand only: three new tables and one column with a server default. The previous version of the
app runs beside it: it never reads the new tables, and an action owned by a contact still has a
`user_account` row as owner (a contact is a person without a password or a membership), so the
old app shows its owner's name like any other.

Revision ID: 0ca6825abb94
Revises: cf155dad912c
Create Date: 2026-12-02 16:22:04.572121

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0ca6825abb94'
down_revision = 'cf155dad912c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=120), nullable=False),
    sa.Column('gets_micro_survey', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_contact_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_contact_partnership_id_partnership')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_contact_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact')),
    sa.UniqueConstraint('partnership_id', 'user_id', name=op.f('uq_contact_partnership_id'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_user_id'), ['user_id'], unique=False)

    op.create_table('action_partner',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_partner_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_action_partner_user_id_user_account')),
    sa.PrimaryKeyConstraint('action_id', 'user_id', name=op.f('pk_action_partner'))
    )
    op.create_table('personal_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('use_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_personal_link_action_id_action')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_personal_link_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_personal_link_partnership_id_partnership')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_personal_link_round_id_round')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_personal_link_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_personal_link_token_hash'))
    )
    with op.batch_alter_table('personal_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_link_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_link_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_link_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_link_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('action_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via_personal_link', sa.Boolean(), server_default='0', nullable=False))



def downgrade():
    # Plain ALTER TABLE … DROP COLUMN, as in cf155dad912c: a batch copy is refused by SQLite while
    # other rows point to the table.
    op.execute("ALTER TABLE action_update DROP COLUMN via_personal_link")

    with op.batch_alter_table('personal_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_link_user_id'))
        batch_op.drop_index(batch_op.f('ix_personal_link_round_id'))
        batch_op.drop_index(batch_op.f('ix_personal_link_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_personal_link_action_id'))

    op.drop_table('personal_link')
    op.drop_table('action_partner')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_user_id'))
        batch_op.drop_index(batch_op.f('ix_contact_partnership_id'))

    op.drop_table('contact')
