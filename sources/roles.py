"""Who may do what beyond plain editing: one check per power, each one permission.

The admin's forms, its bulk actions, the review queue's buttons and the services all ask
here, so a form and an action never disagree. The Editor and Reviewer groups (migration
``0003_roles`` and later) hold these permissions; a superuser holds them all.
"""


def can_publish(user):
    """Publish and reject claims, and publish subjects."""
    return user.has_perm("sources.publish_claim")


def can_change_settled(user):
    """Change a claim once it is published or rejected, and the citations it rests on:
    editors propose, those who may publish settle."""
    return can_publish(user)


def can_verify(user):
    """Vouch that a citation's quote stands in its source (never one's own citation)."""
    return user.has_perm("sources.verify_citation")


def can_rank(user):
    """Prefer or deprecate a claim, with the reason."""
    return user.has_perm("sources.rank_claim")


def can_merge(user):
    """Fold a duplicate entity into another, and undo that."""
    return user.has_perm("entities.merge_entity")
