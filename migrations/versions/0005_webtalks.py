"""webtalks: talks, speakers, registrations, calendar tokens and the live room's record

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa

import stadtnetz.database


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('webtalk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('starts_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('access', sa.Enum('public', 'members', name='access', native_enum=False, length=40), nullable=False),
    sa.Column('stage_url', sa.String(length=500), nullable=False),
    sa.Column('anonymous_questions', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_webtalk_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['forum_group.id'], name=op.f('fk_webtalk_group_id_forum_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webtalk'))
    )
    with op.batch_alter_table('webtalk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webtalk_starts_at'), ['starts_at'], unique=False)

    op.create_table('webtalk_calendar_token',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_calendar_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_webtalk_calendar_token')),
    sa.UniqueConstraint('token', name=op.f('uq_webtalk_calendar_token_token'))
    )
    op.create_table('webtalk_hand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lowered_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_hand_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_hand_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webtalk_hand'))
    )
    with op.batch_alter_table('webtalk_hand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_hand_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webtalk_hand_webtalk_id'), ['webtalk_id'], unique=False)

    op.create_table('webtalk_poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('multiple', sa.Boolean(), nullable=False),
    sa.Column('opened_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_poll_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webtalk_poll'))
    )
    with op.batch_alter_table('webtalk_poll', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_poll_webtalk_id'), ['webtalk_id'], unique=False)

    op.create_table('webtalk_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('open', 'answered', 'dismissed', name='questionstate', native_enum=False, length=40), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answer_html', sa.Text(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_webtalk_question_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_question_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webtalk_question'))
    )
    with op.batch_alter_table('webtalk_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_question_webtalk_id'), ['webtalk_id'], unique=False)

    op.create_table('webtalk_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'waiting', 'cancelled', name='registrationstatus', native_enum=False, length=40), nullable=False),
    sa.Column('queued_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_24h_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_1h_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_registration_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_registration_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webtalk_registration')),
    sa.UniqueConstraint('webtalk_id', 'user_id', name=op.f('uq_webtalk_registration_webtalk_id'))
    )
    with op.batch_alter_table('webtalk_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_registration_user_id'), ['user_id'], unique=False)

    op.create_table('webtalk_room_connection',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('connected_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_room_connection_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_room_connection_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_webtalk_room_connection'))
    )
    with op.batch_alter_table('webtalk_room_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_room_connection_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webtalk_room_connection_webtalk_id'), ['webtalk_id'], unique=False)

    op.create_table('webtalk_room_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('deleted_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_room_event_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_room_event_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webtalk_room_event')),
    sa.UniqueConstraint('webtalk_id', 'seq', name=op.f('uq_webtalk_room_event_webtalk_id'))
    )
    with op.batch_alter_table('webtalk_room_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_room_event_user_id'), ['user_id'], unique=False)

    op.create_table('webtalk_room_participant',
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('muted_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_room_participant_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_room_participant_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('webtalk_id', 'user_id', name=op.f('pk_webtalk_room_participant'))
    )
    with op.batch_alter_table('webtalk_room_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_room_participant_user_id'), ['user_id'], unique=False)

    op.create_table('webtalk_speaker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('guest_name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_speaker_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_speaker_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webtalk_speaker'))
    )
    with op.batch_alter_table('webtalk_speaker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_speaker_webtalk_id'), ['webtalk_id'], unique=False)

    op.create_table('webtalk_poll_vote',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['webtalk_poll.id'], name=op.f('fk_webtalk_poll_vote_poll_id_webtalk_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_poll_vote_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'user_id', name=op.f('pk_webtalk_poll_vote'))
    )
    with op.batch_alter_table('webtalk_poll_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_poll_vote_user_id'), ['user_id'], unique=False)

    op.create_table('webtalk_question_vote',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['webtalk_question.id'], name=op.f('fk_webtalk_question_vote_question_id_webtalk_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_webtalk_question_vote_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'user_id', name=op.f('pk_webtalk_question_vote'))
    )
    with op.batch_alter_table('webtalk_question_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_question_vote_user_id'), ['user_id'], unique=False)

    op.create_table('webtalk_practice',
    sa.Column('webtalk_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_webtalk_practice_practice_id_practice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webtalk_id'], ['webtalk.id'], name=op.f('fk_webtalk_practice_webtalk_id_webtalk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('webtalk_id', 'practice_id', name=op.f('pk_webtalk_practice'))
    )
    with op.batch_alter_table('webtalk_practice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webtalk_practice_practice_id'), ['practice_id'], unique=False)



def downgrade():
    with op.batch_alter_table('webtalk_practice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_practice_practice_id'))

    op.drop_table('webtalk_practice')
    with op.batch_alter_table('webtalk_question_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_question_vote_user_id'))

    op.drop_table('webtalk_question_vote')
    with op.batch_alter_table('webtalk_poll_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_poll_vote_user_id'))

    op.drop_table('webtalk_poll_vote')
    with op.batch_alter_table('webtalk_speaker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_speaker_webtalk_id'))

    op.drop_table('webtalk_speaker')
    with op.batch_alter_table('webtalk_room_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_room_participant_user_id'))

    op.drop_table('webtalk_room_participant')
    with op.batch_alter_table('webtalk_room_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_room_event_user_id'))

    op.drop_table('webtalk_room_event')
    with op.batch_alter_table('webtalk_room_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_room_connection_webtalk_id'))
        batch_op.drop_index(batch_op.f('ix_webtalk_room_connection_user_id'))

    op.drop_table('webtalk_room_connection')
    with op.batch_alter_table('webtalk_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_registration_user_id'))

    op.drop_table('webtalk_registration')
    with op.batch_alter_table('webtalk_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_question_webtalk_id'))

    op.drop_table('webtalk_question')
    with op.batch_alter_table('webtalk_poll', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_poll_webtalk_id'))

    op.drop_table('webtalk_poll')
    with op.batch_alter_table('webtalk_hand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_hand_webtalk_id'))
        batch_op.drop_index(batch_op.f('ix_webtalk_hand_user_id'))

    op.drop_table('webtalk_hand')
    op.drop_table('webtalk_calendar_token')
    with op.batch_alter_table('webtalk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webtalk_starts_at'))
        batch_op.drop_index(batch_op.f('ix_webtalk_group_id'))

    op.drop_table('webtalk')
