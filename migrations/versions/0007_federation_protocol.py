"""federation: actor keys, instances, remote actors and the inbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa

import stadtnetz.database


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('federation_actor_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_ref', sa.Integer(), nullable=False),
    sa.Column('public_pem', sa.Text(), nullable=False),
    sa.Column('private_pem_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_actor_key')),
    sa.UniqueConstraint('actor_kind', 'actor_ref', name='uq_federation_actor_key_actor')
    )
    op.create_table('federation_instance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=260), nullable=False),
    sa.Column('state', sa.Enum('unknown', 'allowed', 'blocked', name='instancestate', native_enum=False, length=40), nullable=False),
    sa.Column('software', sa.String(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('unavailable_since', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_success', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_instance')),
    sa.UniqueConstraint('host', name=op.f('uq_federation_instance_host'))
    )
    op.create_table('federation_remote_actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=500), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('preferred_username', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('summary_html', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('inbox', sa.String(length=500), nullable=False),
    sa.Column('shared_inbox', sa.String(length=500), nullable=True),
    sa.Column('followers', sa.String(length=500), nullable=True),
    sa.Column('key_id', sa.String(length=500), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('instance_host', sa.String(length=260), nullable=False),
    sa.Column('fetched_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_remote_actor')),
    sa.UniqueConstraint('uri', name=op.f('uq_federation_remote_actor_uri'))
    )
    with op.batch_alter_table('federation_remote_actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_federation_remote_actor_instance_host'), ['instance_host'], unique=False)
        batch_op.create_index(batch_op.f('ix_federation_remote_actor_key_id'), ['key_id'], unique=False)

    op.create_table('federation_inbox_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('recipient', sa.String(length=500), nullable=True),
    sa.Column('json', sa.JSON(), nullable=False),
    sa.Column('received_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_inbox_activity')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_federation_inbox_activity_activity_id'))
    )
    with op.batch_alter_table('federation_inbox_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_federation_inbox_activity_actor_uri'), ['actor_uri'], unique=False)


def downgrade():
    with op.batch_alter_table('federation_inbox_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_federation_inbox_activity_actor_uri'))

    op.drop_table('federation_inbox_activity')
    with op.batch_alter_table('federation_remote_actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_federation_remote_actor_key_id'))
        batch_op.drop_index(batch_op.f('ix_federation_remote_actor_instance_host'))

    op.drop_table('federation_remote_actor')
    op.drop_table('federation_instance')
    op.drop_table('federation_actor_key')
