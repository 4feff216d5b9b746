"""The fixed vocabularies of a case: stored codes with the labels staff see."""

from enum import StrEnum


class Route(StrEnum):
    DISCUSS_AGAIN_OWN_GP = "discuss_again_own_gp"
    SECOND_OPINION_GP = "second_opinion_gp"
    SENIOR_PARTNER = "senior_partner"
    PRACTICE_MANAGER = "practice_manager"
    PALS = "pals"
    REGISTER_ELSEWHERE = "register_elsewhere"
    UNSURE = "unsure"


ROUTE_LABELS = {
    Route.DISCUSS_AGAIN_OWN_GP: "Talk it through again with their own GP",
    Route.SECOND_OPINION_GP: "A second opinion from another GP here",
    Route.SENIOR_PARTNER: "A view from the senior partner",
    Route.PRACTICE_MANAGER: "A view from the practice manager",
    Route.PALS: "Help from PALS, outside the practice",
    Route.REGISTER_ELSEWHERE: "Registering with another practice",
    Route.UNSURE: "Not sure yet",
}


class Channel(StrEnum):
    IN_PERSON = "in_person"
    TELEPHONE = "telephone"
    LETTER = "letter"
    EMAIL = "email"
    ONLINE = "online"


CHANNEL_LABELS = {
    Channel.IN_PERSON: "In person",
    Channel.TELEPHONE: "Telephone",
    Channel.LETTER: "Letter",
    Channel.EMAIL: "Email",
    Channel.ONLINE: "Online",
}


class ContactMethod(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"


CONTACT_LABELS = {
    ContactMethod.PHONE: "Phone",
    ContactMethod.EMAIL: "Email",
    ContactMethod.LETTER: "Letter",
}


class Outcome(StrEnum):
    FIRST_OPINION_CONFIRMED = "first_opinion_confirmed"
    DIFFERENT_OPINION = "different_opinion"
    REFERRED_ONWARD = "referred_onward"
    TESTS_ARRANGED = "tests_arranged"
    RETURNED_TO_OWN_GP = "returned_to_own_gp"
    WITHDRAWN = "withdrawn"
    NO_CONTACT = "no_contact"


OUTCOME_LABELS = {
    Outcome.FIRST_OPINION_CONFIRMED: "First opinion confirmed",
    Outcome.DIFFERENT_OPINION: "Different opinion given",
    Outcome.REFERRED_ONWARD: "Referred onward",
    Outcome.TESTS_ARRANGED: "Tests arranged",
    Outcome.RETURNED_TO_OWN_GP: "Returned to own GP",
    Outcome.WITHDRAWN: "Withdrawn by the patient",
    Outcome.NO_CONTACT: "Could not contact the patient",
}


class PatientResponse(StrEnum):
    SATISFIED = "satisfied"
    STILL_CONCERNED = "still_concerned"
    NOT_KNOWN = "not_known"


PATIENT_RESPONSE_LABELS = {
    PatientResponse.SATISFIED: "Satisfied",
    PatientResponse.STILL_CONCERNED: "Still concerned",
    PatientResponse.NOT_KNOWN: "Not known yet",
}


class ClosureReason(StrEnum):
    RESOLVED_IN_PRACTICE = "resolved_in_practice"
    RESOLVED_AFTER_PALS = "resolved_after_pals"
    RETURNED_TO_OWN_GP = "returned_to_own_gp"
    REGISTERED_ELSEWHERE = "registered_elsewhere"
    WITHDRAWN = "withdrawn"
    NO_CONTACT = "no_contact"


CLOSURE_LABELS = {
    ClosureReason.RESOLVED_IN_PRACTICE: "Resolved in the practice",
    ClosureReason.RESOLVED_AFTER_PALS: "Resolved after PALS",
    ClosureReason.RETURNED_TO_OWN_GP: "Returned to own GP",
    ClosureReason.REGISTERED_ELSEWHERE: "Registered with another practice",
    ClosureReason.WITHDRAWN: "Withdrawn by the patient",
    ClosureReason.NO_CONTACT: "Could not contact the patient",
}


class ComplaintFinding(StrEnum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"


COMPLAINT_FINDING_LABELS = {
    ComplaintFinding.UPHELD: "Upheld",
    ComplaintFinding.PARTIALLY_UPHELD: "Partially upheld",
    ComplaintFinding.NOT_UPHELD: "Not upheld",
}


class PalsReferrer(StrEnum):
    PRACTICE = "practice"
    PATIENT = "patient"


PALS_REFERRER_LABELS = {
    PalsReferrer.PRACTICE: "The practice referred them",
    PalsReferrer.PATIENT: "The patient went to PALS themselves",
}


class AcknowledgementMethod(StrEnum):
    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"
    IN_PERSON = "in_person"


ACKNOWLEDGEMENT_LABELS = {
    AcknowledgementMethod.LETTER: "Letter",
    AcknowledgementMethod.EMAIL: "Email",
    AcknowledgementMethod.PHONE: "Phone call",
    AcknowledgementMethod.IN_PERSON: "In person",
}
