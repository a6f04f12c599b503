"""accounts: the header's count of unread notifications, stored with the user

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # The forum keeps it exact from now on (stadtnetz/forum/inbox_count.py); this fills it once
    # with the same count, for the users who have unread notifications (the rest keep 0).
    op.add_column(
        'user_account', sa.Column('unread_notifications', sa.Integer(), nullable=False, server_default='0')
    )
    op.execute(
        'UPDATE user_account SET unread_notifications = ('
        'SELECT count(forum_notification.id) FROM forum_notification '
        'JOIN forum_post ON forum_post.id = forum_notification.post_id '
        'JOIN forum_thread ON forum_thread.id = forum_post.thread_id '
        'JOIN forum_group ON forum_group.id = forum_thread.group_id '
        'WHERE forum_notification.user_id = user_account.id AND forum_notification.read_at IS NULL '
        'AND forum_post.hidden_at IS NULL AND forum_post.deleted_at IS NULL '
        "AND (forum_group.visibility = 'public' OR forum_group.id IN ("
        'SELECT forum_group_member.group_id FROM forum_group_member '
        'WHERE forum_group_member.user_id = user_account.id '
        "AND forum_group_member.status = 'approved'))) "
        'WHERE id IN (SELECT user_id FROM forum_notification WHERE read_at IS NULL)'
    )


def downgrade():
    # Plain ALTER TABLE … DROP COLUMN: on SQLite a batch operation would rebuild the table, and
    # dropping the old one would delete every row that refers to it (ON DELETE CASCADE).
    op.execute('ALTER TABLE user_account DROP COLUMN unread_notifications')
