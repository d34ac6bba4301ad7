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
    "terms_agreed": N_("Thank you. You agreed to the current terms of use."),
    "certification_added": N_("The certificate was recorded."),
    "recipient_suspended": N_("The recipient is suspended."),
    "recipient_reinstated": N_("The recipient is reinstated."),
    "review_recorded": N_("The decision was recorded."),
    "offer_opened": N_("The offer is open."),
    "offer_closed": N_("The offer is closed."),
    "inquiry_answered": N_("The answer was sent."),
    "inquiry_assigned": N_("The inquiry is assigned to you."),
    "inquiry_released": N_("The inquiry is no longer assigned to anyone."),
    "targets_saved": N_("The targets were saved."),
    "incident_recorded": N_("The incident was recorded and every affected person was notified."),
    "report_marked": N_("The report is recorded as filed."),
    "transfer_sent": N_(
        "Your data was sent to the other bank. Log in there and confirm to import it."
    ),
    "transfer_imported": N_("The data from the other bank was imported into your records."),
    "exit_export": N_(
        "Your choice is recorded: download your data before the deadline. "
        "After it, your data here is deleted."
    ),
    "exit_transfer": N_(
        "Your choice is recorded: your data moves to the other bank when this bank closes. "
        "Confirm it there afterwards."
    ),
    "exit_delete": N_("Your choice is recorded: your data is deleted when this bank closes."),
    "mynaportal_imported": N_("New records were imported from Mynaportal."),
    "mynaportal_up_to_date": N_("Mynaportal has nothing new since the last fetch."),
    "mynaportal_expired": N_(
        "The 90-day link with Mynaportal has ended, so nothing was fetched. "
        "Link again to keep your data up to date."
    ),
}

# Domain error codes → what a person reads; anything else gets the generic message.
ERRORS = {
    "not_found": N_("This page does not exist, or it is not yours to see."),
    "method_not_allowed": N_(
        "This address cannot be used that way. Please start again from the menu."
    ),
    "internal_error": N_(
        "Something went wrong at the bank and this could not be finished. Please try again "
        "in a moment; if it keeps happening, tell the help desk."
    ),
    "conflict": N_("This changed in the meantime. Please reload the page and try again."),
    "invalid_credentials": N_("The email address or password is not correct."),
    "rate_limited": N_("Too many failed attempts. Please wait a while and try again."),
    "busy": N_("The bank is busy. Nothing was changed; please try again in a moment."),
    "email_taken": N_("An account with this email address already exists."),
    "terms_outdated": N_("The terms of use have changed. Please read them again and agree."),
    "offer_closed": N_("This offer is no longer open."),
    "offer_full": N_("This offer has reached its capacity."),
    "already_consented": N_("You have already consented to this offer."),
    "already_answered": N_("You have already answered this offer."),
    "consent_state": N_("This consent cannot be changed that way in its present state."),
    "offer_state": N_("This offer cannot be changed that way in its present state."),
    "minutes_required": N_("Minutes are required for a decision."),
    "invalid_conditions": N_(
        "The conditions are not acceptable: check the numbers, the ages and the date (not in "
        "the past). Conditions belong to an approval only."
    ),
    "recipient_suspended": N_("The recipient is suspended."),
    "delegation_not_general": N_(
        "Only general data can be delegated; other data always needs your own consent."
    ),
    "unknown_category": N_("Unknown data category."),
    "invalid_cursor": N_(
        "That page of the list no longer exists. Start again from the first page."
    ),
    "inquiry_state": N_("This inquiry is closed."),
    "data_erased": N_("This data has been erased."),
    "validation_error": N_("Some of the input is not acceptable. Please check the form."),
    "policy_refused": N_("The bank's rules do not allow this:"),
    "csrf": N_(
        "This form could not be accepted because its security token is missing or out of "
        "date. Please go back, reload the page and try again."
    ),
    "forbidden": N_("This page is not available to your account."),
    "wrong_account": N_("This page is for another kind of account."),
    "bank_terminating": N_("The bank is closing: it takes no new offers or consents."),
    "bank_not_terminating": N_("The bank is not closing, so there is nothing to choose."),
    "termination_running": N_(
        "The end of the business is under way; choices can no longer be changed."
    ),
    "transfer_failed": N_(
        "The other bank could not take your data. Check its address, or try again later."
    ),
    "transfer_state": N_("This transfer has already been imported or has expired."),
    "transfer_expired": N_("This transfer expired before it was confirmed."),
    "incident_report_state": N_("That report cannot be recorded in the incident's present state."),
    "not_desk_staff": N_("Only active help desk or operator staff can take an inquiry."),
    "targets_empty": N_("Enter at least one target."),
    "unknown_peer_bank": N_("This bank moves data only to the information banks it lists."),
    "mynaportal_not_linked": N_("Mynaportal is not linked yet. Link it first."),
    "mynaportal_unavailable": N_("Mynaportal did not answer. Please try again later."),
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
    # A consent's state (SPEC §5) as the person reads it wherever a consent is shown.
    "consent": {
        "pending": N_("Consented; not started yet"),
        "active": N_("Consent in force"),
        "paused": N_("Consent paused"),
        "revoked": N_("Consent stopped"),
        "expired": N_("Consent expired"),
        "rejected": N_("Consent not given"),
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
    # A recipient's certificate as the person is warned of it (%(day)s: its last valid day).
    "certificate_warning": {
        "expired": N_("Expired: this certificate ended on %(day)s."),
        "expiring": N_("Expires soon: this certificate is valid only until %(day)s."),
    },
    # Why the rules hold a step back, by rule id, in plain words for the person.
    "held_back": {
        "terms.current": N_(
            "The terms of use have changed. Agree to the current terms (on your account page) "
            "first; until then nothing can be accepted or provided."
        ),
        "recipient.certified": N_(
            "This company has no valid Privacy Mark or ISMS certificate at the moment, "
            "so the bank cannot provide your data to it."
        ),
        "recipient.standing": N_(
            "The bank has suspended this company, so it cannot receive your data."
        ),
        "offer.reviewed": N_(
            "The data ethics board's approval of this offer is not in force, "
            "or its conditions are not met."
        ),
        "sensitive.excluded": N_(
            "This offer asks for data that the bank does not provide under the guideline it "
            "follows."
        ),
        "health.conditions": N_(
            "This offer does not meet the conditions for providing health check-up data."
        ),
        "mynaportal.joint_application": N_(
            "Some of this data came from Mynaportal, and this company is not approved in a "
            "joint application to receive it for this purpose."
        ),
        "reprovision.prohibited": N_(
            "This offer would pass your data on to another party in a way the rules do not allow."
        ),
        "delegation.scope": N_("Your delegation rules do not cover this offer."),
        "profiling.disclosed": N_(
            "This offer analyses your data (profiling) in a way your consent does not cover."
        ),
        "consent.status": N_("This consent is not in force."),
        "consent.window": N_("The period of this consent has not started or has ended."),
        "consent.scope": N_("Your consent does not cover this recipient, purpose or data."),
        "purpose.guardrails": N_("This offer goes beyond the limits set for its purpose."),
    },
    # A rule that lacks a fact or setting (a gap), or a rule without words of its own.
    "held_back_other": {
        "gap": N_(
            "The bank lacks information it needs to decide this, so it cannot be done now. "
            "Please ask the help desk."
        ),
        "deny": N_("The bank's rules do not allow this at the moment."),
    },
    # Why an opening asked nobody (reason codes of the recipient-level rules), for staff.
    "opening_held_back": {
        "recipient_uncertified": N_(
            "The recipient holds no valid Privacy Mark or ISMS certificate."
        ),
        "certificate_expired": N_("The recipient's Privacy Mark or ISMS certificate has expired."),
        "recipient_suspended": N_("The recipient is suspended."),
        "review_conditions": N_(
            "The data ethics board's approval has lapsed, or the offer breaks a condition it set."
        ),
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
    "inquiry_assignee": {
        "me": N_("Assigned to you"),
        "other": N_("Assigned to another member"),
        "none": N_("Not assigned"),
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
        "consent.suspended": N_(
            "Provision to a recipient is paused because the bank suspended the recipient."
        ),
        "consent.reinstated": N_("The recipient was reinstated; provision has resumed."),
        "mynaportal.linked": N_("Your Mynaportal data was imported (%(imported)s records)."),
        "mynaportal.renewal_needed": N_(
            "Your link with Mynaportal needs renewing to keep your data up to date."
        ),
        "terms.updated": N_(
            "The terms of use were updated (version %(version)s). Please read them and agree."
        ),
        "consent.started": N_(
            "Provision to %(recipient)s under “%(title)s” has started, as you consented."
        ),
        "consent.expiring": N_(
            "Your consent to “%(title)s” (%(recipient)s) ends on %(expiry)s. "
            "Provision stops then unless you consent again."
        ),
        "consent.expired": N_(
            "Your consent to “%(title)s” (%(recipient)s) has ended; provision has stopped."
        ),
        "consent.reminder": N_(
            "A reminder: %(recipient)s receives your data under “%(title)s” (since %(start)s). "
            "You can stop it at any time."
        ),
        "inquiry.closed": N_("The help desk closed your inquiry."),
        "incident.notice": N_("An incident may have affected your data."),
        "bank.terminating": N_(
            "This bank is closing. By %(deadline)s, choose to download your data, move it to "
            "another information bank, or have it deleted."
        ),
        "transfer.pending": N_(
            "%(issuer)s sent your data here (%(records)s records). "
            "Confirm it on your account page to import it."
        ),
    },
    "mynaportal_link": {
        "pending": N_("Waiting for you at Mynaportal"),
        "verifying": N_("Checking your card"),
        "active": N_("Linked"),
        "failed": N_("Not completed"),
        "expired": N_("Ended: link again"),
    },
    "exit_choice": {
        "export": N_("Download my data"),
        "transfer": N_("Move my data to another bank"),
        "delete": N_("Delete my data"),
    },
    "transfer_status": {
        "pending": N_("Waiting for your confirmation"),
        "imported": N_("Imported"),
        "expired": N_("Expired"),
    },
    "incident_status": {
        "draft": N_("Not yet reported"),
        "preliminary_sent": N_("Preliminary report filed"),
        "final_sent": N_("Final report filed"),
    },
    "incident_target": {
        "recipient": N_("At a recipient"),
        "system": N_("In the bank's own system"),
    },
    "report_stage": {
        "preliminary": N_("Preliminary report"),
        "final": N_("Final report"),
    },
    "usage_metric": {
        "users": N_("Users"),
        "active_consents": N_("Active consents"),
        "deliveries": N_("Deliveries"),
        "api_requests": N_("API requests"),
    },
    # How a package handed to a recipient stands (提供の状況).
    "delivery_status": {
        "ready": N_("Ready for the recipient"),
        "fetched": N_("Received by the recipient"),
        "acknowledged": N_("Receipt confirmed"),
        "withdrawn": N_("Withdrawn"),
    },
    # The industries (業種) recipients and sources are registered with; a person can narrow a
    # delegation rule to some of them.
    "industry": {
        "insurance": N_("Insurance"),
        "finance": N_("Finance"),
        "retail": N_("Retail"),
        "marketing": N_("Advertising and marketing"),
        "research": N_("Research institution"),
        "healthcare": N_("Healthcare"),
        "healthcare_app": N_("Health app"),
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
