"""The fixed vocabularies of a case: stored codes with the labels staff see."""

from tracker.vocabulary import Labelled


class Route(Labelled):
    DISCUSS_AGAIN_OWN_GP = "discuss_again_own_gp", "Talk it through again with their own GP"
    SECOND_OPINION_GP = "second_opinion_gp", "A second opinion from another GP here"
    SENIOR_PARTNER = "senior_partner", "A view from the senior partner"
    PRACTICE_MANAGER = "practice_manager", "A view from the practice manager"
    PALS = "pals", "Help from PALS, outside the practice"
    REGISTER_ELSEWHERE = "register_elsewhere", "Registering with another practice"
    UNSURE = "unsure", "Not sure yet"


# Routes on which someone in the practice gives the second opinion (the others are closed or
# referred without a reviewer).
ROUTES_WITH_A_REVIEWER = frozenset(
    {Route.SECOND_OPINION_GP, Route.SENIOR_PARTNER, Route.PRACTICE_MANAGER, Route.UNSURE}
)


class Channel(Labelled):
    IN_PERSON = "in_person", "In person"
    TELEPHONE = "telephone", "Telephone"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    ONLINE = "online", "Online"


class ContactMethod(Labelled):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


class ConsentForm(Labelled):
    """How the patient's consent to someone acting for them was given, or the authority the
    person holds without it."""

    WRITTEN = "written", "Signed consent form"
    VERBAL = "verbal", "Told to staff by the patient"
    POWER_OF_ATTORNEY = "power_of_attorney", "Lasting power of attorney for health and welfare"
    PARENTAL = "parental", "Parental responsibility for a child"
    DEPUTY = "deputy", "Deputy appointed by the Court of Protection"


class ContactBy(Labelled):
    """How a contact with the patient, or the person acting for them, was made."""

    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"


class ContactDirection(Labelled):
    OUT = "out", "We contacted them"
    IN = "in", "They contacted us"


class ContactWith(Labelled):
    PATIENT = "patient", "The patient"
    REPRESENTATIVE = "representative", "The person acting for the patient"


class LetterRecipient(Labelled):
    """Who a letter is addressed to."""

    PATIENT = "patient", "The patient"
    REPRESENTATIVE = "representative", "The person acting for the patient"
    BOTH = "both", "Both: one letter each"


class Outcome(Labelled):
    FIRST_OPINION_CONFIRMED = "first_opinion_confirmed", "First opinion confirmed"
    DIFFERENT_OPINION = "different_opinion", "Different opinion given"
    REFERRED_ONWARD = "referred_onward", "Referred onward"
    TESTS_ARRANGED = "tests_arranged", "Tests arranged"
    RETURNED_TO_OWN_GP = "returned_to_own_gp", "Returned to own GP"
    WITHDRAWN = "withdrawn", "Withdrawn by the patient"
    NO_CONTACT = "no_contact", "Could not contact the patient"


class PatientResponse(Labelled):
    SATISFIED = "satisfied", "Satisfied"
    STILL_CONCERNED = "still_concerned", "Still concerned"
    NOT_KNOWN = "not_known", "Not known yet"


class ClosureReason(Labelled):
    RESOLVED_IN_PRACTICE = "resolved_in_practice", "Resolved in the practice"
    RESOLVED_AFTER_PALS = "resolved_after_pals", "Resolved after PALS"
    RETURNED_TO_OWN_GP = "returned_to_own_gp", "Returned to own GP"
    REGISTERED_ELSEWHERE = "registered_elsewhere", "Registered with another practice"
    WITHDRAWN = "withdrawn", "Withdrawn by the patient"
    NO_CONTACT = "no_contact", "Could not contact the patient"


class ComplaintFinding(Labelled):
    UPHELD = "upheld", "Upheld"
    PARTIALLY_UPHELD = "partially_upheld", "Partially upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class PalsReferrer(Labelled):
    PRACTICE = "practice", "The practice referred them"
    PATIENT = "patient", "The patient went to PALS themselves"


class DiscussionOffer(Labelled):
    """The complainant's answer to the offer to discuss how their complaint will be handled."""

    ACCEPTED = "accepted", "Accepted: we talked it through"
    DECLINED = "declined", "Declined"
    NO_REPLY = "no_reply", "No answer yet"


class AcknowledgementMethod(Labelled):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"


class ReviewType(Labelled):
    APPOINTMENT = "appointment", "Appointment with the patient"
    NOTES = "notes", "Review of the notes"


# The tags a case shows, each with its words and its colour once: the queue, the case page and
# the home pages all draw them from here, so a status looks the same wherever it appears.


class DueStatus(Labelled):
    """Where one target stands (the codes are the words `Due.status` gives)."""

    MET = "met", "Met", "nhsuk-tag--green"
    MET_LATE = "met late", "Met late", "nhsuk-tag--orange"
    NOT_MET = "not met", "Not met", "nhsuk-tag--grey"
    OVERDUE = "overdue", "Overdue", "nhsuk-tag--red"
    DUE_TODAY = "due today", "Due today", "nhsuk-tag--yellow"
    DUE = "due", "Due", "nhsuk-tag--blue"


class CaseFlag(Labelled):
    """What marks a case out beside its stage."""

    URGENT = "urgent", "Urgent", "nhsuk-tag--red"
    FORMAL_COMPLAINT = "formal_complaint", "Formal complaint", "nhsuk-tag--grey"
