"""forum: counters that keep pages cheap

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


# No batch operations: on SQLite they rebuild the table, and dropping the old one would delete
# every row that refers to it (the app's connections enforce foreign keys, ON DELETE CASCADE).


def upgrade():
    op.add_column('forum_group', sa.Column('thread_count', sa.Integer(), nullable=False, server_default='0'))
    # Versions that key the cached renderings of a group's thread list and a thread's posts.
    op.add_column('forum_group', sa.Column('threads_version', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('forum_thread', sa.Column('posts_version', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        'UPDATE forum_group SET thread_count = '
        '(SELECT count(*) FROM forum_thread WHERE forum_thread.group_id = forum_group.id)'
    )

    # Posts are numbered in their thread in the order they were written. SQLite adds a NOT NULL
    # column only with a default; the app always sets the number, so the default stays unused.
    op.add_column('forum_post', sa.Column('number', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        'UPDATE forum_post SET number = numbered.number FROM '
        '(SELECT id, row_number() OVER (PARTITION BY thread_id ORDER BY id) AS number FROM forum_post) '
        'AS numbered WHERE forum_post.id = numbered.id'
    )
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('forum_post', 'number', server_default=None)
    op.create_index('ix_forum_post_number', 'forum_post', ['thread_id', 'number'], unique=True)

    op.drop_index('ix_forum_thread_listing', table_name='forum_thread')
    op.create_index(
        'ix_forum_thread_listing', 'forum_thread', ['group_id', 'pinned', 'last_post_at', 'id'], unique=False
    )
    op.create_index('ix_forum_notification_user', 'forum_notification', ['user_id', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_forum_notification_user', table_name='forum_notification')
    op.drop_index('ix_forum_thread_listing', table_name='forum_thread')
    op.create_index(
        'ix_forum_thread_listing', 'forum_thread', ['group_id', 'pinned', 'last_post_at'], unique=False
    )
    op.drop_index('ix_forum_post_number', table_name='forum_post')
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35 and later too), for the reason above.
    op.execute('ALTER TABLE forum_post DROP COLUMN number')
    op.execute('ALTER TABLE forum_group DROP COLUMN thread_count')
    op.execute('ALTER TABLE forum_thread DROP COLUMN posts_version')
    op.execute('ALTER TABLE forum_group DROP COLUMN threads_version')
