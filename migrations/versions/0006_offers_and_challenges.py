"""offers: offers, references, recommendations, challenges and answers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa

import stadtnetz.database


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offer_topic_watch',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_offer_topic_watch_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic', name=op.f('pk_offer_topic_watch'))
    )
    with op.batch_alter_table('offer_topic_watch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_topic_watch_topic'), ['topic'], unique=False)

    op.create_table('challenge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('open', 'closed', name='challengestate', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('outcome_html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_challenge_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_challenge_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge'))
    )
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('teaser', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('price_model', sa.Enum('kostenlos', 'lizenz', 'projektpreis', 'auf-anfrage', name='pricemodel', native_enum=False, length=40), nullable=False),
    sa.Column('price_note', sa.String(length=300), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_offer_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_offer_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer'))
    )
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('challenge_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('message_html', sa.Text(), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('helpful_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('chosen', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_challenge_answer_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], name=op.f('fk_challenge_answer_challenge_id_challenge'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_challenge_answer_offer_id_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_answer')),
    sa.UniqueConstraint('challenge_id', 'offer_id', name=op.f('uq_challenge_answer_challenge_id'))
    )
    with op.batch_alter_table('challenge_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_answer_challenge_id'), ['challenge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_challenge_answer_offer_id'), ['offer_id'], unique=False)

    op.create_table('challenge_topic',
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], name=op.f('fk_challenge_topic_challenge_id_challenge'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('challenge_id', 'topic', name=op.f('pk_challenge_topic'))
    )
    with op.batch_alter_table('challenge_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_topic_topic'), ['topic'], unique=False)

    op.create_table('offer_recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_offer_recommendation_offer_id_offer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_offer_recommendation_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_offer_recommendation_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_recommendation')),
    sa.UniqueConstraint('offer_id', 'organisation_id', name=op.f('uq_offer_recommendation_offer_id'))
    )
    with op.batch_alter_table('offer_recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_recommendation_offer_id'), ['offer_id'], unique=False)

    op.create_table('offer_reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('created_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', stadtnetz.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_offer_reference_confirmed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_offer_reference_offer_id_offer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_offer_reference_practice_id_practice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_reference')),
    sa.UniqueConstraint('offer_id', 'practice_id', name=op.f('uq_offer_reference_offer_id'))
    )
    with op.batch_alter_table('offer_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_reference_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_reference_practice_id'), ['practice_id'], unique=False)

    op.create_table('offer_topic',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_offer_topic_offer_id_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'topic', name=op.f('pk_offer_topic'))
    )
    # ### end Alembic commands ###


def downgrade():
    op.drop_table('offer_topic')
    with op.batch_alter_table('offer_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_reference_practice_id'))
        batch_op.drop_index(batch_op.f('ix_offer_reference_offer_id'))

    op.drop_table('offer_reference')
    with op.batch_alter_table('offer_recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_recommendation_offer_id'))

    op.drop_table('offer_recommendation')
    with op.batch_alter_table('challenge_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_topic_topic'))

    op.drop_table('challenge_topic')
    with op.batch_alter_table('challenge_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_answer_offer_id'))
        batch_op.drop_index(batch_op.f('ix_challenge_answer_challenge_id'))

    op.drop_table('challenge_answer')
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_offer_created_at'))

    op.drop_table('offer')
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_organisation_id'))

    op.drop_table('challenge')
    with op.batch_alter_table('offer_topic_watch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_topic_watch_topic'))

    op.drop_table('offer_topic_watch')
    # ### end Alembic commands ###
