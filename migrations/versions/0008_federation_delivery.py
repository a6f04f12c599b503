"""federation: deliveries, follows and remote content

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa

import stadtnetz.database


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Sent activities; their deliveries are outbox jobs (federation/activities.py, delivery.py)
    op.create_table('federation_sent_activity',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('object_uri', sa.String(length=500), nullable=False),
    sa.Column('json', sa.JSON(), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_sent_activity'))
    )
    op.create_index(op.f('ix_federation_sent_activity_actor_uri'), 'federation_sent_activity', ['actor_uri'], unique=False)
    op.create_index(op.f('ix_federation_sent_activity_object_uri'), 'federation_sent_activity', ['object_uri'], unique=False)
    # Follows and remote content (federation/follows.py, remote_content.py)
    op.create_table('federation_follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_kind', sa.String(length=16), nullable=False),
    sa.Column('local_id', sa.Integer(), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('follow_id', sa.String(length=500), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_follower')),
    sa.UniqueConstraint('local_kind', 'local_id', 'actor_uri', name=op.f('uq_federation_follower_local_kind'))
    )
    op.create_index(op.f('ix_federation_follower_actor_uri'), 'federation_follower', ['actor_uri'], unique=False)
    op.create_table('federation_following',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('follow_id', sa.String(length=500), nullable=False),
    sa.Column('state', sa.Enum('pending', 'accepted', name='followstate', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_federation_following_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_following')),
    sa.UniqueConstraint('follow_id', name=op.f('uq_federation_following_follow_id')),
    sa.UniqueConstraint('user_id', 'actor_uri', name=op.f('uq_federation_following_user_id'))
    )
    op.create_index(op.f('ix_federation_following_actor_uri'), 'federation_following', ['actor_uri'], unique=False)
    for table, columns in _REMOTE_TABLES.items():
        op.create_table(table, *_remote_columns(table), *columns())
        op.create_index(op.f(f'ix_{table}_host'), table, ['host'], unique=False)
        op.create_index(op.f(f'ix_{table}_actor_uri'), table, ['actor_uri'], unique=False)
    op.create_index(op.f('ix_federation_remote_post_thread_id'), 'federation_remote_post', ['thread_id'], unique=False)
    op.create_table('federation_federated_post',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=500), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('updated_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_federation_federated_post_post_id_forum_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_federation_federated_post')),
    sa.UniqueConstraint('uri', name=op.f('uq_federation_federated_post_uri'))
    )
    op.create_table('federation_remote_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('objects', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('received_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_remote_report')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_federation_remote_report_activity_id'))
    )
    op.create_table('federation_remote_like',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('object_uri', sa.String(length=500), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_remote_like')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_federation_remote_like_activity_id')),
    sa.UniqueConstraint('actor_uri', 'object_uri', name=op.f('uq_federation_remote_like_actor_uri'))
    )
    op.create_index(op.f('ix_federation_remote_like_object_uri'), 'federation_remote_like', ['object_uri'], unique=False)


def downgrade():
    # Follows and remote content
    op.drop_index(op.f('ix_federation_remote_like_object_uri'), table_name='federation_remote_like')
    op.drop_table('federation_remote_like')
    op.drop_table('federation_remote_report')
    op.drop_table('federation_federated_post')
    op.drop_index(op.f('ix_federation_remote_post_thread_id'), table_name='federation_remote_post')
    for table in reversed(_REMOTE_TABLES):
        op.drop_index(op.f(f'ix_{table}_actor_uri'), table_name=table)
        op.drop_index(op.f(f'ix_{table}_host'), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f('ix_federation_following_actor_uri'), table_name='federation_following')
    op.drop_table('federation_following')
    op.drop_index(op.f('ix_federation_follower_actor_uri'), table_name='federation_follower')
    op.drop_table('federation_follower')
    # Sent activities
    op.drop_index(op.f('ix_federation_sent_activity_object_uri'), table_name='federation_sent_activity')
    op.drop_index(op.f('ix_federation_sent_activity_actor_uri'), table_name='federation_sent_activity')
    op.drop_table('federation_sent_activity')


def _remote_columns(table):
    """The columns every copy of remote content has (``remote_content.RemoteObject``)."""
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uri', sa.String(length=500), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('host', sa.String(length=253), nullable=False),
        sa.Column('actor_uri', sa.String(length=500), nullable=False),
        sa.Column('published_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('received_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
        sa.UniqueConstraint('uri', name=op.f(f'uq_{table}_uri')),
    ]


_REMOTE_TABLES = {
    'federation_remote_practice': lambda: [
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('teaser', sa.String(length=500), nullable=False),
        sa.Column('organisation_name', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=40), nullable=False),
        sa.Column('tags', sa.JSON(), nullable=False),
        sa.Column('topics', sa.JSON(), nullable=False),
        sa.Column('sections', sa.JSON(), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
    ],
    'federation_remote_webtalk': lambda: [
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description_html', sa.Text(), nullable=False),
        sa.Column('starts_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ends_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('room_url', sa.String(length=500), nullable=False),
        sa.Column('cancelled', sa.Boolean(), nullable=False),
    ],
    'federation_remote_thread': lambda: [
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('author_uri', sa.String(length=500), nullable=False),
    ],
    'federation_remote_post': lambda: [
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('in_reply_to', sa.String(length=500), nullable=False),
        sa.Column('author_uri', sa.String(length=500), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('local_author_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['thread_id'], ['federation_remote_thread.id'], name=op.f('fk_federation_remote_post_thread_id_federation_remote_thread'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['local_author_id'], ['user_account.id'], name=op.f('fk_federation_remote_post_local_author_id_user_account'), ondelete='SET NULL'),
    ],
}
