"""Words the pages show for codes (statuses, kinds, outcomes), marked for translation.

Templates translate them where they are shown: ``{{ _(labels.status[consent.status]) }}``.
"""

from __future__ import annotations

from infobank.entrypoints.web.i18n import N_

__all__ = ["ERRORS", "FLASH", "LABELS"]

# Shown after a redirect (``?msg=key``); unknown keys show nothing.
FLASH = {
    "signed_up": N_("Welcome! Your account is ready."),
    "logged_out": N_("You have logged out."),
    "record_added": N_("The record was added."),
    "offer_accepted": N_("You consented. Your receipt is below."),
    "offer_declined": N_("You declined the offer."),
    "consent_paused": N_("Provision under this consent is paused."),
    "consent_resumed": N_("Provision under this consent has resumed."),
    "consent_revoked": N_("Provision has stopped. The recipient has been told to delete the data."),
    "stopped_all": N_(
        "Every provision has stopped. The recipients have been told to delete your data."
    ),
    "rule_added": N_("The delegation rule was added."),
    "rule_removed": N_("The delegation rule was removed."),
    "inquiry_sent": N_("Your inquiry was sent to the help desk."),
    "inquiry_replied": N_("Your message was added."),
    "inquiry_closed": N_("The inquiry was closed."),
    "account_deleted": N_("Your account was deleted and your data erased."),
    "certification_added": N_("The certificate was recorded."),
    "recipient_suspended": N_("The recipient is suspended."),
    "recipient_reinstated": N_("The recipient is reinstated."),
    "review_recorded": N_("The decision was recorded."),
    "offer_opened": N_("The offer is open."),
    "offer_closed": N_("The offer is closed."),
    "inquiry_answered": N_("The answer was sent."),
}

# Domain error codes → what a person reads; anything else gets the generic message.
ERRORS = {
    "not_found": N_("This page does not exist, or it is not yours to see."),
    "invalid_credentials": N_("The email address or password is not correct."),
    "rate_limited": N_("Too many failed attempts. Please wait a while and try again."),
    "email_taken": N_("An account with this email address already exists."),
    "terms_outdated": N_("The terms of use have changed. Please read them again and agree."),
    "offer_closed": N_("This offer is no longer open."),
    "offer_full": N_("This offer has reached its capacity."),
    "already_consented": N_("You have already consented to this offer."),
    "already_answered": N_("You have already answered this offer."),
    "consent_state": N_("This consent cannot be changed that way in its present state."),
    "offer_state": N_("This offer cannot be changed that way in its present state."),
    "minutes_required": N_("Minutes are required for a decision."),
    "recipient_suspended": N_("The recipient is suspended."),
    "delegation_not_general": N_(
        "Only general data can be delegated; other data always needs your own consent."
    ),
    "unknown_category": N_("Unknown data category."),
    "inquiry_state": N_("This inquiry is closed."),
    "data_erased": N_("This data has been erased."),
    "validation_error": N_("Some of the input is not acceptable. Please check the form."),
    "policy_refused": N_("The guideline rules do not allow this:"),
    "csrf": N_(
        "This form could not be accepted because its security token is missing or out of "
        "date. Please go back, reload the page and try again."
    ),
    "forbidden": N_("This page is not available to your account."),
    "wrong_account": N_("This page is for another kind of account."),
}

LABELS: dict[str, dict[str, str]] = {
    "status": {
        "granted": N_("Consented"),
        "pending": N_("Pending"),
        "active": N_("Providing"),
        "paused": N_("Paused"),
        "revoked": N_("Stopped"),
        "expired": N_("Expired"),
        "rejected": N_("Rejected"),
        "open": N_("Open"),
        "accepted": N_("Accepted"),
        "declined": N_("Declined"),
        "delegated": N_("Consented for you"),
        "answered": N_("Answered"),
        "closed": N_("Closed"),
        "draft": N_("Draft"),
        "under_review": N_("Under review"),
        "approved": N_("Approved"),
    },
    "mode": {
        "explicit": N_("Your own consent"),
        "delegated": N_("Consented for you under your delegation rules"),
    },
    "certificate": {
        "valid": N_("Valid"),
        "expiring": N_("Expires soon"),
        "expired": N_("Expired"),
        "not_yet": N_("Not yet valid"),
    },
    "certificate_kind": {
        "pmark": N_("Privacy Mark"),
        "isms": N_("ISMS (ISO/IEC 27001)"),
        "other": N_("Other certificate"),
    },
    "sensitivity": {
        "general": N_("General data"),
        "health_checkup": N_("Health check-up data (special care)"),
        "sensitive": N_("Sensitive data (never provided)"),
    },
    "justification": {
        "individual_benefit": N_("Clear benefit to you"),
        "public_interest": N_("Public interest"),
    },
    "acquired_via": {
        "self": N_("Entered by you"),
        "source": N_("Sent by a linked source"),
        "mynaportal": N_("From Mynaportal"),
    },
    "invitation": {
        "open": N_("Waiting for your answer"),
        "accepted": N_("Accepted"),
        "declined": N_("Declined"),
        "delegated": N_("Consented for you"),
    },
    "inquiry_status": {
        "open": N_("Waiting for an answer"),
        "answered": N_("Answered"),
        "closed": N_("Closed"),
    },
    "inquiry_category": {
        "question": N_("Question"),
        "consent": N_("About a consent"),
        "data": N_("About my data"),
        "complaint": N_("Complaint"),
        "other": N_("Other"),
    },
    "gender": {
        "female": N_("Female"),
        "male": N_("Male"),
        "other": N_("Other"),
        "unspecified": N_("Prefer not to say"),
    },
    "notification": {
        "consent.receipt": N_("You consented to “%(title)s”. Your receipt is ready."),
        "consent.delegated": N_(
            "The bank consented for you to “%(title)s” under your delegation rules."
        ),
        "revocation.confirmed": N_("A recipient confirmed it deleted your data."),
        "inquiry.answered": N_("The help desk answered your inquiry."),
    },
    "revocation_method": {
        "deleted": N_("deleted"),
        "deidentified": N_("de-identified"),
    },
    "role": {
        "operator": N_("Operator"),
        "ethics": N_("Data ethics board"),
        "auditor": N_("Auditor"),
        "support": N_("Help desk"),
    },
}
