"""Signals through which modules tell each other what happened, without importing each other.

Feature modules send; federation, search and notifications listen. Privacy signals let every
module that stores personal data take part in export and deletion.
"""

from blinker import Namespace

_signals = Namespace()

#: Sent with ``user`` and ``export`` (a dict); receivers add their section of the user's data.
collect_personal_data = _signals.signal("collect-personal-data")

#: Sent with ``user`` and ``delete_content`` before an account is deleted; receivers detach the
#: user's content (shown as "gelöschtes Konto") or delete it when ``delete_content`` is true.
account_deleting = _signals.signal("account-deleting")

# Content that may leave the instance (federation listens). Each is sent by the feature's service
# inside the transaction, after ``flush()``, with the object as sender; receivers write outbox
# rows in the same transaction and decide themselves what is public.

#: A practice was published (or published again after archiving).
practice_published = _signals.signal("practice-published")
#: A practice's text or facts changed.
practice_updated = _signals.signal("practice-updated")
#: A published practice was archived: it leaves lists, search and the network.
practice_withdrawn = _signals.signal("practice-withdrawn")
#: A thread was started (with its first post).
thread_created = _signals.signal("thread-created")
#: A reply was written in a thread.
post_created = _signals.signal("post-created")
#: A post's text was edited.
post_updated = _signals.signal("post-updated")
#: A moderator deleted a post's text.
post_deleted = _signals.signal("post-deleted")
#: A webtalk was planned.
webtalk_scheduled = _signals.signal("webtalk-scheduled")
#: A webtalk's details changed.
webtalk_updated = _signals.signal("webtalk-updated")
#: A webtalk was cancelled.
webtalk_cancelled = _signals.signal("webtalk-cancelled")
