"""A solution provider cannot post in a members-only working group unless the group invites
it: it cannot ask to join one itself. Public groups stay open to providers."""

import pytest

from stadtnetz.accounts.permissions import can
from stadtnetz.errors import PermissionDenied
from stadtnetz.forum import groups
from stadtnetz.forum.posting import start_thread


def test_a_provider_cannot_ask_to_join_a_members_only_group(world, make_group):
    closed = make_group(visibility="members")
    assert not can(world.seller, "forum.join_group", closed)
    with pytest.raises(PermissionDenied):
        groups.join_group(world.seller, closed)
    with pytest.raises(PermissionDenied):
        start_thread(world.seller, closed, "Unser Angebot", "Kaufen Sie!")


def test_a_municipal_member_may_ask_and_a_provider_may_join_public_groups(world, make_group):
    assert can(world.clerk, "forum.join_group", make_group(visibility="members"))
    public = make_group()
    assert can(world.seller, "forum.join_group", public)
    assert start_thread(world.seller, public, "Frage an alle", "Wer nutzt Leerstandskataster?").id


def test_an_invited_provider_may_post(world, make_group):
    invited = make_group(visibility="members", members=[world.seller])
    assert start_thread(world.seller, invited, "Danke für die Einladung", "Gern beantworten wir Fragen.").id
