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
